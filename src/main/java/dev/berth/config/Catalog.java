package dev.berth.config;

import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;

import org.eclipse.microprofile.config.spi.Converter;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The properties of {@link BerthConfig} as SmallRye Config's own mapping model describes them, in name
 * order, with the flag, environment variable and help text of each. Help, flag parsing, validation and
 * --print-config all read this one list.
 *
 * <p>{@link ConfigMappings#getProperties} and {@link Property} are public but meant for SmallRye's
 * integrations rather than applications, so they may change between SmallRye releases; {@code CatalogTest}
 * pins what Berth relies on (one entry per leaf, its type, converter, default and secrecy).
 *
 * <p>Reading that model takes the reflection of every method, generic type and annotation of the mapping (about 20 ms
 * at every start, before anything binds), so the build writes the list once ({@link #FILE}, next to the mapping's
 * classes it generates) and a start reads that. Without the file, or with one whose properties and defaults are not
 * those of the mapping (a build that skipped the step), the model is read.
 */
final class Catalog {

    static final String PREFIX = "berth.";
    static final ConfigClass MAPPING = ConfigClass.configClass(BerthConfig.class, "berth");


    private final Map<String, Entry> entries = new TreeMap<>();

    /** How a map key (berth.datasource.NAME.url) reads in names, flags and help. */
    static final String KEY = "<name>";

    /** The list as the build wrote it, in the class path beside this class. */
    static final String FILE = "catalog.bin";

    private Catalog(Map<String, Entry> entries) {
        this.entries.putAll(entries);
    }

    private static Catalog load() {
        try (InputStream file = Catalog.class.getResourceAsStream(FILE)) {
            Catalog written = file != null ? read(file) : null;
            // a build that skipped the step (-Dmaven.test.skip) can leave the file of an older mapping in place
            return written != null && written.describes(MAPPING) ? written : fromMapping();
        } catch (IOException | ClassNotFoundException e) {
            return fromMapping();
        }
    }

    /** Whether this list has exactly the mapping's properties, with its defaults (SmallRye's generated class gives both). */
    private boolean describes(ConfigClass mapping) {
        Map<String, String> defaults = new HashMap<>();
        entries.values().forEach(e -> defaults.put(e.name().replace(KEY, "*"), e.defaultValue().orElse(null)));
        Map<String, String> mapped = new HashMap<>();
        mapping.getProperties().forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                mapped.put(name, value);
            }
        });
        return defaults.equals(mapped);
    }

    /** The list from SmallRye's model of {@link BerthConfig}: what the build writes, and what a start reads without the file. */
    static Catalog fromMapping() {
        Map<String, Entry> entries = new TreeMap<>();
        ConfigMappings.getProperties(MAPPING).forEach((name, property) -> {
            if (name.startsWith(PREFIX) && !property.isGroup()) {
                String shown = name.replace("*", KEY);
                entries.put(shown, Entry.of(shown, property));
            }
        });
        return new Catalog(entries);
    }

    /** Writes the list for {@link #read}. */
    void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(entries.size());
        for (Entry entry : entries.values()) {
            data.writeUTF(entry.name());
            data.writeUTF(entry.type().getName());
            data.writeUTF(entry.converter().map(Class::getName).orElse(""));
            data.writeBoolean(entry.defaultValue().isPresent());
            data.writeUTF(entry.defaultValue().orElse(""));
            data.writeBoolean(entry.isSecret());
            data.writeUTF(entry.help());
            data.writeUTF(entry.shownDefault());
        }
        data.flush();
    }

    @SuppressWarnings("unchecked")
    private static Catalog read(InputStream in) throws IOException, ClassNotFoundException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in));
        Map<String, Entry> entries = new TreeMap<>();
        ClassLoader loader = Catalog.class.getClassLoader();
        for (int count = data.readInt(); count > 0; count--) {
            String name = data.readUTF();
            Class<?> type = Class.forName(data.readUTF(), false, loader);
            String converter = data.readUTF();
            boolean hasDefault = data.readBoolean();
            String defaultValue = data.readUTF();
            entries.put(name, new Entry(name, type,
                    converter.isEmpty() ? Optional.empty() : Optional.of((Class<? extends Converter<?>>) Class.forName(converter, false, loader)),
                    hasDefault ? Optional.of(defaultValue) : Optional.empty(), data.readBoolean(), data.readUTF(), data.readUTF()));
        }
        return new Catalog(entries);
    }

    static Catalog get() {
        return Loaded.INSTANCE;
    }

    /** Read on first use, not when the build's step that writes the file uses this class. */
    private static final class Loaded {
        static final Catalog INSTANCE = load();
    }

    /** In name order: the mapping's order is not fixed, and sorted help is easy to scan. */
    Collection<Entry> entries() {
        return entries.values();
    }

    /** The entry of a property: by its name, or, for a key of a map, by the pattern it fits (berth.datasource.app.url). */
    Optional<Entry> entry(String name) {
        Entry exact = entries.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return entries.values().stream().filter(e -> e.isPattern() && e.pattern().matcher(name).matches()).findFirst();
    }

    /** The entry an environment variable sets: BERTH_PORT, or BERTH_DATASOURCE_APP_URL for a map's key. */
    Optional<Entry> entryForEnv(String variable) {
        return entries.values().stream()
                .filter(e -> e.isPattern() ? e.envPattern().matcher(variable).matches() : e.envVar().equals(variable)).findFirst();
    }

    static String envName(String property) {
        return property.replace(KEY, "NAME").toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * One property: its names in every source, the type of its value, the converter named with
     * {@code @WithConverter} (else SmallRye's for the type), its default, whether it is secret, its help line
     * ({@link Doc}), and how the help shows its default when not as the literal value ({@link Doc#defaultText}, or empty).
     */
    record Entry(String name, Class<?> type, Optional<Class<? extends Converter<?>>> converter, Optional<String> defaultValue,
                 boolean isSecret, String help, String shownDefault) {

        static Entry of(String name, Property property) {
            Property value = property.isOptional() ? property.asOptional().getNestedProperty() : property;
            Class<?> type;
            Class<? extends Converter<?>> converter = null;
            if (value.isPrimitive()) {
                type = value.asPrimitive().getBoxType();
                converter = value.hasConvertWith() ? value.asPrimitive().getConvertWith() : null;
            } else {
                type = value.asLeaf().getValueRawType();
                converter = value.hasConvertWith() ? value.asLeaf().getConvertWith() : null;
            }
            Optional<String> defaultValue = property.hasDefaultValue() ? Optional.of(property.getDefaultValue()) : Optional.empty();
            Optional<Doc> doc = Optional.ofNullable(property.getMethod().getAnnotation(Doc.class));
            boolean secret = property.isSecret() || name.endsWith("password") || doc.map(Doc::secret).orElse(false);
            return new Entry(name, type, Optional.ofNullable(converter), defaultValue, secret, doc.map(Doc::value).orElse(""),
                    doc.map(Doc::defaultText).orElse(""));
        }

        /** A property of each key of a map, such as berth.datasource.<name>.url. */
        boolean isPattern() {
            return name.contains(KEY);
        }

        /** The names a pattern entry stands for. */
        java.util.regex.Pattern pattern() {
            String[] parts = name.split(java.util.regex.Pattern.quote(KEY), -1);
            return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(parts[0]) + "[^.]+" + java.util.regex.Pattern.quote(parts[1]));
        }

        java.util.regex.Pattern envPattern() {
            String[] parts = envVar().split("NAME", -1);
            return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(parts[0]) + "[A-Z0-9_]+" + java.util.regex.Pattern.quote(parts[1]));
        }

        /** This pattern entry's name for one key: berth.datasource.app.url. */
        String nameFor(String key) {
            return name.replace(KEY, key);
        }

        String flag() {
            return "--" + name.substring(PREFIX.length());
        }

        String envVar() {
            return envName(name);
        }

        /** The default as the help shows it. */
        String defaultText() {
            return !shownDefault.isEmpty() ? shownDefault : defaultValue.map(v -> v.isEmpty() ? "(empty)" : v).orElse("none");
        }

        boolean isBoolean() {
            return type == Boolean.class;
        }
    }
}
