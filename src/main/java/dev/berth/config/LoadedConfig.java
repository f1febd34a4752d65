package dev.berth.config;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

import java.util.ArrayList;
import java.util.List;

/** The mapped configuration together with where each value came from (for logs and --print-config). */
public final class LoadedConfig {

    private final BerthConfig config;
    private final SmallRyeConfig raw;
    private final Catalog catalog;

    LoadedConfig(BerthConfig config, SmallRyeConfig raw, Catalog catalog) {
        this.config = config;
        this.raw = raw;
        this.catalog = catalog;
    }

    public BerthConfig config() {
        return config;
    }

    /** Where a property's effective value came from: "command line", "environment variable PORT", ... */
    public String origin(String property) {
        ConfigValue value = raw.getConfigValue(property);
        return value.getRawValue() == null ? Sources.DEFAULTS : Sources.describe(property, value.getSourceName());
    }

    /** One line per property: name, effective value, source. Secrets are masked. */
    public List<String> describeAll() {
        List<Row> rows = new ArrayList<>();
        for (Catalog.Entry entry : catalog.entries()) {
            ConfigValue value = raw.getConfigValue(entry.name());
            String shown = value.getRawValue() == null ? "(none)" : value.getRawValue().isEmpty() ? "(empty)" : value.getRawValue();
            if (entry.isSecret() && value.getRawValue() != null) {
                shown = "****";
            }
            rows.add(new Row(entry.name(), shown, origin(entry.name())));
        }
        int nameWidth = rows.stream().mapToInt(r -> r.name.length()).max().orElse(0);
        int valueWidth = rows.stream().mapToInt(r -> r.value.length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            lines.add(String.format("%-" + nameWidth + "s  %-" + valueWidth + "s  %s", row.name, row.value, row.source).stripTrailing());
        }
        return lines;
    }

    private record Row(String name, String value, String source) {
    }
}
