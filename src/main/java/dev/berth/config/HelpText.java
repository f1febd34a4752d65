package dev.berth.config;

import java.util.ArrayList;
import java.util.List;

/** The --help text, generated from the configuration mapping so it lists exactly what Berth reads. */
public final class HelpText {

    private HelpText() {
    }

    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Usage: java -jar berth.jar [--name=value | --name value | --flag ...] [WAR | /PATH=WAR ...]");
        lines.add("(a boolean flag alone means true; another value only after =)");
        lines.add("");
        lines.add("Runs a Jakarta Servlet WAR (a .war file or an exploded directory) on embedded Jetty.");
        lines.add("Several WARs, each at its context path: /shop=shop.war /api=api.war. With no WAR, serves a small status page.");
        lines.add("");
        lines.add("Commands:");
        lines.add("  --help            show this help and exit");
        lines.add("  --version         print the version and exit");
        lines.add("  --print-config    print every setting's effective value and its source, then exit");
        lines.add("  --check-ports     show whether each candidate port is free, bind nothing, exit 0 or 69");
        lines.add("  --train           start, deploy, answer one request, stop: a training run for a CDS archive");
        lines.add("                    (java -XX:ArchiveClassesAtExit=app.jsa -jar berth.jar --train app.war)");
        lines.add("  --convert IN OUT  convert a Java EE 8 (javax) WAR to Jakarta ahead of time (for image builds), exit 0");
        lines.add("  --config=FILE     read settings from a properties file");
        lines.add("");
        lines.add("Settings (flag, environment variable, default; also -Dberth.NAME or berth.NAME in a file):");
        for (Catalog.Entry entry : Catalog.get().entries()) {
            String value = entry.isBoolean() ? "" : "=" + metavar(entry);
            lines.add("  " + entry.flag() + value);
            lines.add("      " + entry.help());
            lines.add("      env " + entry.envVar() + ", default " + entry.defaultText());
        }
        lines.add("");
        lines.add("Sources, highest first: flags, system properties, environment variables, --config=FILE,");
        lines.add("config/berth.properties in the working directory, the platform's PORT, DATABASE_URL and REDIS_URL,");
        lines.add("the detected platform's defaults, defaults.");
        lines.add("Durations: 500ms, 30s, 2m or ISO-8601 (PT30S).");
        return lines;
    }

    private static String metavar(Catalog.Entry entry) {
        String last = entry.name().substring(entry.name().lastIndexOf('.') + 1);
        return last.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
