package org.igniterealtime.openfire.plugins.carbons.settings;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A model of Openfire 5.1.1's org.jivesoftware.util.SystemProperty (xmppserver/src/main/java/org/jivesoftware/util/
 * SystemProperty.java at tag v5.1.1), limited to what the plugin meets, with the same public shape: a static
 * Builder with ofType/setKey/setDefaultValue/setPlugin/setDynamic/addListener/build, removePropertiesForPlugin.
 * Behaviour follows the source: build() refuses a key already registered and a missing default for non-nullable
 * types (String is nullable) or a missing plugin; the description is looked up as "system_property." + key in the
 * bundle named after the plugin (LocaleUtils.getLocalizedPluginString: name without non-word characters,
 * lower-cased, + "_i18n"); a set or delete of the key calls every listener with the new value (the static
 * PropertyEventListener); getValue() falls back to the default when unset. {@link #STORE} stands in for JiveGlobals.
 */
public final class SystemPropertyModel {

    static final Map<String, SystemPropertyModel> PROPERTIES = new ConcurrentHashMap<>();
    /** The property table (JiveGlobals in Openfire). */
    static final Map<String, String> STORE = new ConcurrentHashMap<>();
    private static final Set<Class<?>> TYPES = Set.of(String.class, Boolean.class);

    final Class<?> type;
    final String key;
    final Object defaultValue;
    final String plugin;
    final boolean dynamic;
    /** Where Openfire would read the description: bundle name and key. */
    final String descriptionBundle;
    final String descriptionKey;
    final Set<Consumer<Object>> listeners = ConcurrentHashMap.newKeySet();

    private SystemPropertyModel(Builder builder) {
        this.type = builder.type;
        this.key = builder.key;
        this.defaultValue = builder.defaultValue;
        this.plugin = builder.plugin;
        this.dynamic = builder.dynamic;
        this.descriptionBundle = plugin.replaceAll("\\W", "").toLowerCase() + "_i18n";
        this.descriptionKey = "system_property." + key;
        this.listeners.addAll(builder.listeners);
    }

    public static Collection<SystemPropertyModel> getProperties() {
        return Collections.unmodifiableCollection(PROPERTIES.values());
    }

    public static void removePropertiesForPlugin(String plugin) {
        getProperties().stream().filter(p -> p.plugin.equals(plugin)).map(p -> p.key).toList().forEach(PROPERTIES::remove);
    }

    /** JiveGlobals.setProperty followed by the PropertyEventDispatcher's propertySet. */
    static void set(String key, String value) {
        if (value == null) {
            STORE.remove(key);
        } else {
            STORE.put(key, value);
        }
        final SystemPropertyModel property = PROPERTIES.get(key);
        if (property != null) {
            final Object newValue = property.getValue();
            property.listeners.forEach(listener -> listener.accept(newValue));
        }
    }

    public Object getValue() {
        final String stored = STORE.get(key);
        final Object value = stored == null ? null : type == Boolean.class ? Boolean.valueOf(stored) : stored;
        return value == null ? defaultValue : value;
    }

    public static final class Builder {
        private final Class<?> type;
        private String key;
        private Object defaultValue;
        private String plugin;
        private Boolean dynamic;
        private final Set<Consumer<Object>> listeners = new HashSet<>();

        private Builder(Class<?> type) {
            this.type = type;
        }

        public static Builder ofType(Class<?> type) {
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("Cannot create a SystemProperty of type " + type.getName());
            }
            return new Builder(type);
        }

        public Builder setKey(String key) {
            this.key = key;
            return this;
        }

        public Builder setDefaultValue(Object defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder setPlugin(String plugin) {
            this.plugin = plugin;
            return this;
        }

        public Builder setDynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        @SuppressWarnings("unchecked")
        public Builder addListener(Consumer<?> listener) {
            listeners.add((Consumer<Object>) listener);
            return this;
        }

        public SystemPropertyModel build() {
            if (key == null) {
                throw new NullPointerException("The property key has not been set");
            }
            if (PROPERTIES.containsKey(key)) {
                throw new IllegalArgumentException("A SystemProperty already exists with a key of " + key);
            }
            if (type != String.class && defaultValue == null) {
                throw new NullPointerException("The properties default value has not been set");
            }
            if (plugin == null || dynamic == null) {
                throw new NullPointerException("The property plugin or dynamism has not been set");
            }
            final SystemPropertyModel property = new SystemPropertyModel(this);
            PROPERTIES.put(key, property);
            return property;
        }
    }
}
