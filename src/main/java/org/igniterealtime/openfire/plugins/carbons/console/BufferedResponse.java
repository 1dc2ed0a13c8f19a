package org.igniterealtime.openfire.plugins.carbons.console;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Holds a page's output back so that an HTML page can be changed before it goes out: the plugin's note on Openfire's
 * session details page, and the test console's page decoration.
 */
public final class BufferedResponse extends HttpServletResponseWrapper {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private PrintWriter writer;
    private ServletOutputStream stream;

    public BufferedResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    buffer.write(b);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(buffer, charset()));
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        // held back until finish()
    }

    @Override
    public void setContentLength(int length) {
        // the length changes when the page is edited
    }

    @Override
    public void setContentLengthLong(long length) {
    }

    /** Writes the page out, HTML pages edited by the given function. */
    public void finish(UnaryOperator<String> editHtml) throws IOException {
        if (writer != null) {
            writer.flush();
        }
        final HttpServletResponse response = (HttpServletResponse) getResponse();
        byte[] body = buffer.toByteArray();
        final String type = getContentType();
        if (type != null && type.startsWith("text/html") && body.length > 0) {
            body = editHtml.apply(new String(body, charset())).getBytes(charset());
        }
        if (!response.isCommitted() || body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    private Charset charset() {
        final String encoding = getCharacterEncoding();
        return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    }
}
