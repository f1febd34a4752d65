package dev.berth.bench.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The second throughput page: a 16 KiB text body written through the output stream, larger than the default
 * response buffers of the launchers, so buffer sizes and output aggregation show.
 */
@WebServlet(urlPatterns = "/body")
public class BodyServlet extends HttpServlet {

    private static final byte[] BODY = body(16 * 1024);

    private static byte[] body(int size) {
        byte[] line = "Berth bench body: sixteen KiB of text, written through the servlet output stream.\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i += line.length) {
            System.arraycopy(line, 0, out, i, Math.min(line.length, size - i));
        }
        out[size - 1] = '\n';
        return out;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(BODY);
    }
}
