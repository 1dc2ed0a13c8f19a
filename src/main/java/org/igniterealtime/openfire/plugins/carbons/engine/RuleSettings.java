package org.igniterealtime.openfire.plugins.carbons.engine;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The administrator's choices. Immutable: a settings change swaps the whole snapshot, so one message is
 * always judged by one consistent set.
 *
 * @param carbonsEnabled  carbons on or off for the whole server
 * @param rules0          advertise urn:xmpp:carbons:rules:0 and apply its recommended rules (XEP-0280 §6.1);
 *                        when off, only chat and normal-with-body messages are copied
 * @param copyImPayloads  under rules:0, copy messages that only carry receipts, chat states or markers
 * @param honourNoCopy    a {@code <no-copy/>} hint (XEP-0334) without {@code <private/>} prevents carbons
 * @param errorReplies    copy an error reply to a message that was itself copied (§6.1)
 * @param mucSameNickOnly copy a MUC private message the user sends only to the user's resources joined to that
 *                        room with the same nick (§6.1, Multi-Session Nick)
 * @param promptToInactive deliver a carbon to an inactive session (XEP-0352) at once when the server would deliver
 *                        the message it forwards at once ({@link ClientStateRules}); off, the server holds every carbon
 *                        back until the session turns active
 * @param forgeryMode     what to do with forged carbons addressed to local users
 * @param allowedGroups   only members of these groups may enable carbons; empty means everyone (§4 forbidden)
 */
public record RuleSettings(boolean carbonsEnabled, boolean rules0, boolean copyImPayloads, boolean honourNoCopy,
                           boolean errorReplies, boolean mucSameNickOnly, boolean promptToInactive, ForgeryMode forgeryMode,
                           Set<String> allowedGroups) {

    /** What a fresh installation uses. */
    public static final RuleSettings DEFAULTS = new RuleSettings(true, true, true, true, true, true, true, ForgeryMode.DROP, Set.of());

    public RuleSettings {
        // Insertion order kept: the administrator sees the groups in the order they were entered.
        allowedGroups = Collections.unmodifiableSet(new LinkedHashSet<>(allowedGroups));
    }

    /** Comma-separated group names as stored and as typed: trimmed, blanks and repeats dropped, order kept. */
    public static Set<String> parseGroups(String value) {
        final Set<String> groups = new LinkedHashSet<>();
        if (value != null) {
            for (String group : value.split(",")) {
                if (!group.isBlank()) {
                    groups.add(group.trim());
                }
            }
        }
        return groups;
    }

    public RuleSettings withCarbonsEnabled(boolean value) {
        return new RuleSettings(value, rules0, copyImPayloads, honourNoCopy, errorReplies, mucSameNickOnly, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withRules0(boolean value) {
        return new RuleSettings(carbonsEnabled, value, copyImPayloads, honourNoCopy, errorReplies, mucSameNickOnly, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withCopyImPayloads(boolean value) {
        return new RuleSettings(carbonsEnabled, rules0, value, honourNoCopy, errorReplies, mucSameNickOnly, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withHonourNoCopy(boolean value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, value, errorReplies, mucSameNickOnly, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withErrorReplies(boolean value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, honourNoCopy, value, mucSameNickOnly, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withMucSameNickOnly(boolean value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, honourNoCopy, errorReplies, value, promptToInactive, forgeryMode, allowedGroups);
    }

    public RuleSettings withPromptToInactive(boolean value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, honourNoCopy, errorReplies, mucSameNickOnly, value, forgeryMode, allowedGroups);
    }

    public RuleSettings withForgeryMode(ForgeryMode value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, honourNoCopy, errorReplies, mucSameNickOnly, promptToInactive, value, allowedGroups);
    }

    public RuleSettings withAllowedGroups(Set<String> value) {
        return new RuleSettings(carbonsEnabled, rules0, copyImPayloads, honourNoCopy, errorReplies, mucSameNickOnly, promptToInactive, forgeryMode, value);
    }
}
