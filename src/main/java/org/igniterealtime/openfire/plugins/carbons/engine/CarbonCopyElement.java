package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Attribute;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Node;
import org.dom4j.tree.DefaultElement;

import java.util.Objects;

/**
 * The root element of one addressed carbon copy. All copies of a message are the same stanza but for 'to' and, between
 * the sent and the received side, the wrapper's first lines, so the forwarded message (most of the bytes) is
 * serialised once per message and each copy's XML is put together from that text, its wrapper's and its own 'to'.
 * <p>
 * Openfire 5.1.1 writes a stanza to a client as {@code packet.getElement().asXML()} (NettyConnection.deliver; the
 * WebSocket and BOSH connections go through Packet.toXML(), which is the same call), and Openfire 4.2 does the same in
 * NIOConnection.deliver, so overriding {@link #asXML()} is where the sharing pays. Everything else sees an ordinary,
 * complete dom4j tree of its own: interceptors of other plugins read and may change it (LocalSession.process calls
 * them before deliver), stream management keeps {@code packet.createCopy()}, which is a plain DefaultElement tree.
 * Because an interceptor may change the copy, the shared text is used only after comparing the copy, node by node,
 * with the wrapper it was made from; any difference, or a 'to' that would need escaping, falls back to dom4j's own
 * serialisation. The comparison reads references and lengths only, far cheaper than writing the XML.
 * <p>
 * Java serialisation (a cluster task carrying the stanza to another node) gets a plain DefaultElement, so that no
 * node ever needs this plugin's class to read it.
 */
final class CarbonCopyElement extends DefaultElement {

    private static final long serialVersionUID = 1L;

    /**
     * The wrapper this copy was made from and its XML in pieces: the open tag up to where 'to' goes, the rest up to
     * the forwarded message, the forwarded message (shared by the wrappers of both directions, {@link
     * CarbonWrapper.Forwarded}), and the end tags.
     */
    static final class Shape {
        private static final String INNER = "carbons-forwarded-message";
        private final Element template;
        private final CarbonWrapper.Forwarded forwarded;
        private volatile String[] parts;

        Shape(Element template, CarbonWrapper.Forwarded forwarded) {
            this.template = template;
            this.forwarded = forwarded;
        }

        /** The copy's XML, or null when it cannot be told from the wrapper's. */
        String xmlOf(CarbonCopyElement copy) {
            final int n = template.attributeCount();
            if (copy.attributeCount() != n + 1) {
                return null;
            }
            final Attribute to = copy.attribute(n);
            if (!"to".equals(to.getQualifiedName()) || !to.getNamespaceURI().isEmpty() || !plain(to.getValue())
                || !sameName(copy, template) || !sameAttributes(copy, template, n) || !sameContent(copy, template)) {
                return null;
            }
            String[] split = parts;
            if (split == null) {
                final String[] around = plainSplit(template);
                final String[] pieces = around != null ? around : split(template);
                // Everything after 'to', with the forwarded message in place: per copy only three pieces are joined.
                split = new String[]{pieces[0], pieces[1] + forwarded.xml() + pieces[2]};
                parts = split;
            }
            final String value = to.getValue();
            return new StringBuilder(split[0].length() + value.length() + split[1].length())
                .append(split[0]).append(value).append(split[1]).toString();
        }

        /**
         * The wrapper's XML around the forwarded message, written directly when dom4j would write every part of it as
         * it is: plain attribute values without prefixes, elements in their default namespaces, no other content.
         * That is the wrapper {@link CarbonWrapper#wrap} builds; anything else goes through {@link #split(Element)}.
         */
        static String[] plainSplit(Element root) {
            if (!root.getNamespaceURI().isEmpty() || root.nodeCount() != 1 || !(root.node(0) instanceof Element)) {
                return null;
            }
            final Element direction = (Element) root.node(0);
            if (direction.nodeCount() != 1 || !(direction.node(0) instanceof Element) || !plainElement(direction)) {
                return null;
            }
            final Element forwardedElement = (Element) direction.node(0);
            if (!plainElement(forwardedElement)) {
                return null;
            }
            final StringBuilder head = new StringBuilder(96).append('<').append(root.getName());
            for (int i = 0, n = root.attributeCount(); i < n; i++) {
                final Attribute attribute = root.attribute(i);
                if (!attribute.getNamespaceURI().isEmpty() || !plain(attribute.getValue())) {
                    return null;
                }
                head.append(' ').append(attribute.getName()).append("=\"").append(attribute.getValue()).append('"');
            }
            head.append(" to=\"");
            final String middle = "\"><" + direction.getName() + " xmlns=\"" + direction.getNamespaceURI() + "\"><"
                + forwardedElement.getName() + " xmlns=\"" + forwardedElement.getNamespaceURI() + "\">";
            final String tail = "</" + forwardedElement.getName() + "></" + direction.getName() + "></" + root.getName() + ">";
            return new String[]{head.toString(), middle, tail};
        }

        /** No prefix, no attributes, a default namespace dom4j writes as it is. */
        private static boolean plainElement(Element element) {
            return element.getNamespacePrefix().isEmpty() && element.attributeCount() == 0
                && !element.getNamespaceURI().isEmpty() && plain(element.getNamespaceURI());
        }

        /**
         * The wrapper's XML around the forwarded message, written by dom4j from the wrapper without it. The forwarded
         * message is written the same inside the wrapper as on its own: it declares its own default namespace
         * (jabber:client, which differs from the enclosing forwarded element's), and the wrapper declares no prefixes.
         */
        static String[] split(Element template) {
            final Element direction = template.elements().get(0);
            final Element forwardedElement = direction.elements().get(0);
            final Element skeleton = DocumentHelper.createElement(template.getQName());
            skeleton.appendAttributes(template);
            skeleton.addElement(direction.getQName()).addElement(forwardedElement.getQName()).setText(INNER);
            final String xml = skeleton.asXML();
            // <message type="chat" from="..." id="...">: 'to' goes before the first '>' (dom4j escapes '>' in values)
            final int end = xml.indexOf('>');
            final int inner = xml.indexOf(INNER, end);
            return new String[]{xml.substring(0, end) + " to=\"", "\"" + xml.substring(end, inner),
                xml.substring(inner + INNER.length())};
        }
    }

    private final transient Shape shape;

    CarbonCopyElement(Element template, Shape shape) {
        super(template.getQName());
        this.shape = shape;
        appendAttributes(template);
        appendContent(template);
    }

    @Override
    public String asXML() {
        final String xml = shape == null ? null : shape.xmlOf(this);
        return xml != null ? xml : super.asXML();
    }

    /** Whether this copy is written from the shared text (for tests). */
    boolean sharesText() {
        return shape != null && shape.xmlOf(this) != null;
    }

    /** Java serialisation writes a plain copy: the reading node needs nothing of this plugin. */
    private Object writeReplace() {
        return createCopy();
    }

    /** Characters that dom4j writes into an attribute value as they are (printable ASCII but quotes, &, <, >). */
    static boolean plain(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }

    private static boolean sameName(Node a, Node b) {
        return Objects.equals(a.getName(), b.getName()) && (!(a instanceof Element) || sameQName((Element) a, (Element) b));
    }

    private static boolean sameQName(Element a, Element b) {
        return a.getQName() == b.getQName() || (a.getQualifiedName().equals(b.getQualifiedName())
            && a.getNamespaceURI().equals(b.getNamespaceURI()));
    }

    private static boolean sameAttributes(Element a, Element b, int count) {
        for (int i = 0; i < count; i++) {
            final Attribute x = a.attribute(i);
            final Attribute y = b.attribute(i);
            if (!x.getQualifiedName().equals(y.getQualifiedName()) || !x.getNamespaceURI().equals(y.getNamespaceURI())
                || !Objects.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameContent(Element a, Element b) {
        final int n = a.nodeCount();
        if (n != b.nodeCount()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            final Node x = a.node(i);
            final Node y = b.node(i);
            if (x.getNodeType() != y.getNodeType() || x.getClass() != y.getClass()) {
                return false;
            }
            if (x instanceof Element) {
                final Element ex = (Element) x;
                final Element ey = (Element) y;
                if (!sameQName(ex, ey) || ex.attributeCount() != ey.attributeCount()
                    || !sameAttributes(ex, ey, ex.attributeCount()) || !sameContent(ex, ey)) {
                    return false;
                }
            } else if (!Objects.equals(x.getText(), y.getText()) || !sameName(x, y)) {
                return false;
            }
        }
        return true;
    }
}
