package dev.berth.deploy;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.resource.Resource;

import java.nio.file.Path;

/**
 * A WAR's context whose {@code ServletContext.getRealPath} answers as Tomcat's does: Berth always serves the WAR from
 * a folder on disk (unpacked into the run's folder, or an exploded WAR as it is), so a path inside that folder has a
 * real path whether or not a file is there yet. Jetty returns null for a path that does not exist, and applications
 * written for Tomcat then fail where they meant to create it (WebGoat 7.1 extracts its plugins into
 * {@code getRealPath("plugin_extracted")}). A path that would lead out of the folder still has none.
 */
final class UnpackedWebAppContext extends WebAppContext {

    @Override
    public ServletContextHandler.ServletContextApi newServletContextApi() {
        return new ServletApiContext() {
            @Override
            public String getRealPath(String path) {
                String real = super.getRealPath(path);
                return real != null || path == null ? real : whereItWouldBe(path);
            }
        };
    }

    /** Where {@code path} would be in the folder served, or null when the context is not a folder or the path leaves it. */
    private String whereItWouldBe(String path) {
        String normal = URIUtil.normalizePath(path.startsWith("/") ? path : "/" + path);
        Resource base = getBaseResource();
        Path root = base == null ? null : base.getPath();
        if (normal == null || root == null) {
            return null;
        }
        Path target = root.resolve(normal.substring(1)).normalize();
        return target.startsWith(root.normalize()) ? target.toString() : null;
    }
}
