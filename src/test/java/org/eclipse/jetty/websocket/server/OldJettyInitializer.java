package org.eclipse.jetty.websocket.server;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.util.Set;

/**
 * Stands for the initializer an old Jetty websocket jar brings in a WAR's WEB-INF/lib (as the ActiveMQ web
 * console's does): it needs Jetty 9-11 server classes that Jetty 12 does not have.
 */
public class OldJettyInitializer implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        throw new NoClassDefFoundError("org/eclipse/jetty/servlet/ServletContextHandler");
    }
}
