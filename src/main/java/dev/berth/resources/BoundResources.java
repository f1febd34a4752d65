package dev.berth.resources;

import org.eclipse.jetty.ee11.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee11.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee11.webapp.AbstractConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.NamingEntryUtil;
import org.eclipse.jetty.plus.jndi.Resource;

import java.util.List;

/**
 * Binds Berth's DataSources into the WAR's {@code java:comp/env} whether or not its web.xml declares a
 * {@code resource-ref} for them, as Tomcat does for a context.xml {@code <Resource>}: runs once Jetty has made
 * the WAR's {@code java:comp/env} (EnvConfiguration) and before resource-refs and {@code @Resource} injections
 * are resolved (PlusConfiguration), which then find the same objects.
 */
final class BoundResources extends AbstractConfiguration {

    private final List<String> names;

    BoundResources(List<String> names) {
        super(new Builder().addDependencies(EnvConfiguration.class).addDependents(PlusConfiguration.class));
        this.names = List.copyOf(names);
    }

    @Override
    public void preConfigure(WebAppContext context) throws Exception {
        ContextClassLoader.with(context.getClassLoader(), () -> {
            for (String name : names) {
                Resource resource = (Resource) NamingEntryUtil.lookupNamingEntry(context, name);
                resource.bindToENC(name);
            }
            return names;
        });
    }
}
