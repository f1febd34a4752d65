package dev.berth.migrate;

import org.apache.tomcat.jakartaee.EESpecProfile;

import java.util.regex.Pattern;

/**
 * What the migration renames from {@code javax} to {@code jakarta}: exactly the APIs the container provides
 * to the WAR — Servlet (with JSP), Expression Language, WebSocket and the common annotations Jetty reads
 * ({@code @Resource}, {@code @PostConstruct}, security roles). Tomcat's own TOMCAT profile also renames
 * {@code javax.mail}, {@code javax.persistence}, {@code javax.ejb} and {@code javax.transaction}, which Jetty
 * does not provide: a WAR that uses them bundles its own javax jars, whose classes keep their javax names,
 * so renaming the references to them would break the WAR. Those are left alone.
 */
final class ContainerProfile implements EESpecProfile {

    /**
     * Changes whenever the conversion does (the pattern, or what else a converted WAR gets: 2 drops the pages'
     * isThreadSafe), so converted WARs in the cache are made again.
     */
    static final String ID = "jetty-ee11-3";

    private static final Pattern PATTERN = Pattern.compile("javax([/\\.](servlet|el|websocket|security[/\\.]auth[/\\.]message"
            + "|annotation[/\\.](Generated|ManagedBean|PostConstruct|PreDestroy|Priority|Resource|Resources"
            + "|security[/\\.](DeclareRoles|DenyAll|PermitAll|RolesAllowed|RunAs)|sql[/\\.]DataSourceDefinition)))");

    @Override
    public String getSource() {
        return "javax";
    }

    @Override
    public String getTarget() {
        return "jakarta";
    }

    @Override
    public Pattern getPattern() {
        return PATTERN;
    }
}
