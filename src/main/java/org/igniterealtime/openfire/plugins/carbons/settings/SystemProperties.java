package org.igniterealtime.openfire.plugins.carbons.settings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registers the plugin's settings with Openfire 5's {@code org.jivesoftware.util.SystemProperty}, so that Server
 * Manager &gt; System Properties lists them with their default, description, plugin and dynamic flag, also while
 * unchanged, and calls back when an administrator edits one there.
 * <p>
 * SystemProperty appeared in Openfire 4.3; the plugin is compiled and tested against 4.2.0 (the newest Openfire on
 * Maven Central), which lacks it. So this thin adapter reaches it by name where the running Openfire has it, and
 * {@link #find} answers empty where it does not (the caller then listens for property events itself). Every member
 * used, with its descriptor, is listed in {@link #MEMBERS}; SystemPropertiesTest checks them against the 5.0.5 and
 * 5.1.1 API listings that apicheck uses, and drives this adapter against a model of 5.1.1's SystemProperty.
 * <p>
 * What Openfire 5.1.1 does with a registration (xmppserver/src/main/java/org/jivesoftware/util/SystemProperty.java):
 * the description is {@code LocaleUtils.getLocalizedPluginString(plugin, "system_property." + key)}, read from the
 * bundle named after the plugin's name without non-word characters, lower-cased ("Message Carbons" -&gt;
 * {@code messagecarbons_i18n}, which the plugin jar carries beside {@code carbons_i18n}); {@code build()} refuses a
 * key that is already registered; listeners are called from a PropertyEventListener on every set or delete of the
 * key; {@code PluginManager.unloadPlugin} calls {@code removePropertiesForPlugin(<plugin.xml name>)} after
 * {@code destroyPlugin()}. Values stay in Openfire's property table (JiveGlobals), so reading them through
 * JiveGlobals gives the same answer on every version.
 */
final class SystemProperties {

    private static final Logger Log = LoggerFactory.getLogger(SystemProperties.class);

    /** The class in Openfire 4.3 and later. */
    static final String OPENFIRE_CLASS = "org.jivesoftware.util.SystemProperty";
    /**
     * The plugin's name as plugin.xml gives it (the pom's name): Openfire shows it, removes the plugin's properties by
     * it on unload and names the description bundle after it.
     */
    static final String PLUGIN_NAME = "Message Carbons";

    /** Every member this adapter calls, as the API listings write them: owner suffix, name, descriptor. */
    static final List<String> MEMBERS = List.of(
        "$Builder ofType (Ljava/lang/Class;)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder setKey (Ljava/lang/String;)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder setDefaultValue (Ljava/lang/Object;)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder setPlugin (Ljava/lang/String;)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder setDynamic (Z)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder addListener (Ljava/util/function/Consumer;)Lorg/jivesoftware/util/SystemProperty$Builder;",
        "$Builder build ()Lorg/jivesoftware/util/SystemProperty;",
        " removePropertiesForPlugin (Ljava/lang/String;)V");

    /** One setting: its property key, value type (Boolean or String) and default. */
    record Setting(String key, Class<?> type, Object defaultValue) {
    }

    private final Method removePropertiesForPlugin;
    private final Method ofType;
    private final Method setKey;
    private final Method setDefaultValue;
    private final Method setPlugin;
    private final Method setDynamic;
    private final Method addListener;
    private final Method build;

    private SystemProperties(Class<?> property, Class<?> builder) throws NoSuchMethodException {
        removePropertiesForPlugin = property.getMethod("removePropertiesForPlugin", String.class);
        ofType = builder.getMethod("ofType", Class.class);
        setKey = builder.getMethod("setKey", String.class);
        setDefaultValue = builder.getMethod("setDefaultValue", Object.class);
        setPlugin = builder.getMethod("setPlugin", String.class);
        setDynamic = builder.getMethod("setDynamic", boolean.class);
        addListener = builder.getMethod("addListener", Consumer.class);
        build = builder.getMethod("build");
    }

    /** Openfire's SystemProperty, when the running server has it. */
    static Optional<SystemProperties> find() {
        return find(SystemProperties.class.getClassLoader(), OPENFIRE_CLASS);
    }

    /** The given SystemProperty class (Openfire's, or a model of it in tests), when the loader has it. */
    static Optional<SystemProperties> find(ClassLoader loader, String className) {
        final Class<?> property;
        try {
            property = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty(); // Openfire before 4.3
        }
        try {
            return Optional.of(new SystemProperties(property, Class.forName(className + "$Builder", true, loader)));
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            Log.warn("Openfire's {} is not what the plugin expects; settings are not registered as system properties", className, e);
            return Optional.empty();
        }
    }

    /**
     * Registers the settings as dynamic properties of this plugin; each change of one calls the listener. What an
     * earlier load of the plugin left registered (an Openfire that did not remove it) is replaced, so that no
     * listener of an unloaded class loader stays behind.
     *
     * @return the keys registered
     */
    List<String> register(List<Setting> settings, Consumer<Object> listener) {
        unregister();
        final List<String> registered = new ArrayList<>();
        for (Setting setting : settings) {
            try {
                Object builder = ofType.invoke(null, setting.type());
                builder = setKey.invoke(builder, setting.key());
                builder = setDefaultValue.invoke(builder, setting.defaultValue());
                builder = setPlugin.invoke(builder, PLUGIN_NAME);
                builder = setDynamic.invoke(builder, true);
                builder = addListener.invoke(builder, listener);
                build.invoke(builder);
                registered.add(setting.key());
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                Log.warn("Could not register {} as a system property", setting.key(), e instanceof InvocationTargetException ? e.getCause() : e);
            }
        }
        return registered;
    }

    /** Removes this plugin's properties from Openfire's registry (their values stay). */
    void unregister() {
        try {
            removePropertiesForPlugin.invoke(null, PLUGIN_NAME);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            Log.warn("Could not remove the plugin's system properties", e instanceof InvocationTargetException ? e.getCause() : e);
        }
    }
}
