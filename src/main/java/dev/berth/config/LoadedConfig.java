package dev.berth.config;

import dev.berth.base.Secrets;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

import java.util.ArrayList;
import java.util.List;

/** The mapped configuration together with where each value came from (for logs and --print-config). */
public final class LoadedConfig {

    private final BerthConfig config;
    private final SmallRyeConfig raw;

    LoadedConfig(BerthConfig config, SmallRyeConfig raw) {
        this.config = config;
        this.raw = raw;
    }

    public BerthConfig config() {
        return config;
    }

    /** The kind of source a property's effective value came from. */
    Source source(String property) {
        return Source.of(raw.getConfigValue(property));
    }

    /** Whether Berth set this property for the detected platform (nothing the user gave set it). */
    public boolean isPlatformDefault(String property) {
        return source(property) == Source.PLATFORM_DETECTION;
    }

    /** Where a property's effective value came from: "command line", "environment variable PORT", ... */
    public String origin(String property) {
        return Source.describe(raw.getConfigValue(property));
    }

    /** Every property's name, a map's once for each of its keys (berth.datasource.app.url), in name order. */
    private List<String> propertyNames() {
        List<String> names = new ArrayList<>();
        for (Catalog.Entry entry : Catalog.get().entries()) {
            if (!entry.isPattern()) {
                names.add(entry.name());
            } else if (entry.name().startsWith("berth.datasource.")) {
                config.datasource().keySet().forEach(key -> names.add(entry.nameFor(key)));
            }
        }
        names.sort(null);
        return names;
    }

    /** One line per property: name, effective value, source. Secrets, and passwords in URLs, are masked. */
    public List<String> describeAll() {
        List<String[]> rows = new ArrayList<>();
        for (String name : propertyNames()) {
            Catalog.Entry entry = Catalog.get().entry(name).orElseThrow();
            ConfigValue value = raw.getConfigValue(name);
            String shown = value.getRawValue() == null ? "(none)" : value.getRawValue().isEmpty() ? "(empty)" : Secrets.mask(value.getRawValue());
            if (entry.isSecret() && value.getRawValue() != null) {
                shown = "****";
            }
            rows.add(new String[] {name, shown, Source.describe(value)});
        }
        int nameWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int valueWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            lines.add(String.format("%-" + nameWidth + "s  %-" + valueWidth + "s  %s", row[0], row[1], row[2]).stripTrailing());
        }
        return lines;
    }
}
