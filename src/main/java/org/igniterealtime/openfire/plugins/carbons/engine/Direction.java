package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * Which side of a conversation a carbon copy reports, named after its wrapper element
 * (XEP-0280 §7 {@code <received/>}, §8 {@code <sent/>}).
 */
public enum Direction {
    /** A message the user received on another resource. */
    RECEIVED("received"),
    /** A message the user sent from another resource. */
    SENT("sent");

    private final String elementName;

    Direction(String elementName) {
        this.elementName = elementName;
    }

    /** The wrapper element's local name in {@link Namespaces#CARBONS}. */
    public String elementName() {
        return elementName;
    }
}
