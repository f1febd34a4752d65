package dev.berth.it.cdi;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;

/** What the WAR's CDI container and MicroProfile Config give it: the greeting, and whose Config answered. */
@WebServlet("/greeting")
public class GreetingServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        Class<?> config = ConfigProvider.getConfig().getClass();
        response.getWriter().print(CDI.current().select(Greeter.class).get().greeting() + " (" + config.getName()
                + (config.getClassLoader() == getClass().getClassLoader() ? ", the WAR's" : ", not the WAR's") + ")");
    }
}
