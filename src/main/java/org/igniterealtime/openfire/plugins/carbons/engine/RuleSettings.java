package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * The administrator's choices that shape eligibility and advertisement. Immutable: a settings
 * change swaps the whole snapshot, so one message is always judged by one consistent set.
 *
 * @param carbonsEnabled  carbons on or off for the whole server
 * @param rules0          advertise urn:xmpp:carbons:rules:0 and apply its recommended rules (XEP-0280 §6.1);
 *                        when off, only chat and normal-with-body messages are copied
 * @param copyImPayloads  under rules:0, copy messages that only carry receipts, chat states or markers
 * @param honourNoCopy    a {@code <no-copy/>} hint (XEP-0334) without {@code <private/>} prevents carbons
 */
public record RuleSettings(boolean carbonsEnabled, boolean rules0, boolean copyImPayloads, boolean honourNoCopy) {

    /** What a fresh installation uses. */
    public static final RuleSettings DEFAULTS = new RuleSettings(true, true, true, true);
}
