package dev.berth.bench.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Declared in WEB-INF/web.xml (no annotation), mapped to /xml. */
public class XmlServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("Hello from web.xml, " + getServletConfig().getInitParameter("greeting") + "\n");
    }
}
