package dev.berth.config;

import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;

import org.eclipse.microprofile.config.spi.Converter;

import java.util.Collection;
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
 */
final class Catalog {

    static final String PREFIX = "berth.";
    static final ConfigClass MAPPING = ConfigClass.configClass(BerthConfig.class, "berth");

    private static final Catalog INSTANCE = new Catalog();

    private final Map<String, Entry> entries = new TreeMap<>();

    private Catalog() {
        ConfigMappings.getProperties(MAPPING).forEach((name, property) -> {
            if (name.startsWith(PREFIX) && !property.isGroup()) {
                entries.put(name, Entry.of(name, property));
            }
        });
    }

    static Catalog get() {
        return INSTANCE;
    }

    /** In name order: the mapping's order is not fixed, and sorted help is easy to scan. */
    Collection<Entry> entries() {
        return entries.values();
    }

    Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * One property: its names in every source, the type of its value, the converter named with
     * {@code @WithConverter} (else SmallRye's for the type), its default, whether it is secret, and its help.
     */
    record Entry(String name, Class<?> type, Optional<Class<? extends Converter<?>>> converter, Optional<String> defaultValue,
                 boolean isSecret, Optional<Doc> doc) {

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
            boolean secret = property.isSecret() || name.endsWith("password");
            return new Entry(name, type, Optional.ofNullable(converter), defaultValue, secret,
                    Optional.ofNullable(property.getMethod().getAnnotation(Doc.class)));
        }

        String flag() {
            return "--" + name.substring(PREFIX.length());
        }

        String envVar() {
            return envName(name);
        }

        String help() {
            return doc.map(Doc::value).orElse("");
        }

        String defaultText() {
            return doc.map(Doc::defaultText).filter(text -> !text.isEmpty())
                    .orElseGet(() -> defaultValue.map(v -> v.isEmpty() ? "(empty)" : v).orElse("none"));
        }

        boolean isBoolean() {
            return type == Boolean.class;
        }
    }
}
