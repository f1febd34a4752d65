package dev.berth.config;

import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.WithConverter;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * The properties of {@link BerthConfig} as SmallRye Config sees them, in name order, with the
 * flag, environment variable and help text of each. Help, flag parsing, the unknown-key check and
 * --print-config all read this one list.
 */
final class Catalog {

    static final String PREFIX = "berth.";
    static final ConfigClass MAPPING = ConfigClass.configClass(BerthConfig.class, "berth");

    private static final Catalog INSTANCE = new Catalog();

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Catalog() {
        Map<String, Entry> found = new java.util.TreeMap<>();
        ConfigMappings.getProperties(MAPPING).forEach((name, property) -> {
            if (!property.isGroup() && name.startsWith(PREFIX)) {
                found.put(name, new Entry(name, property, property.getMethod()));
            }
        });
        entries.putAll(found);
    }

    static Catalog get() {
        return INSTANCE;
    }

    /** In name order: reflection gives methods in no fixed order, and sorted help is easy to scan. */
    Collection<Entry> entries() {
        return entries.values();
    }

    Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    static String envName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** One property: its names in every source, its default and how to convert it. */
    record Entry(String name, Property property, Method method) {

        String flag() {
            return "--" + name.substring(PREFIX.length());
        }

        String envVar() {
            return envName(name);
        }

        String doc() {
            Doc doc = method.getAnnotation(Doc.class);
            return doc == null ? "" : doc.value();
        }

        Optional<String> defaultValue() {
            return property.hasDefaultValue() ? Optional.of(property.getDefaultValue()) : Optional.empty();
        }

        String defaultText() {
            Doc doc = method.getAnnotation(Doc.class);
            if (doc != null && !doc.defaultText().isEmpty()) {
                return doc.defaultText();
            }
            return defaultValue().map(v -> v.isEmpty() ? "(empty)" : v).orElse("none");
        }

        boolean isBoolean() {
            Class<?> type = elementType();
            return type == boolean.class || type == Boolean.class;
        }

        boolean isSecret() {
            return property.isSecret() || name.endsWith("password");
        }

        /** The type of one value: the T of Optional&lt;T&gt; or List&lt;T&gt;, else the return type. */
        Class<?> elementType() {
            Type type = method.getGenericReturnType();
            if (type instanceof ParameterizedType parameterized) {
                return (Class<?>) parameterized.getActualTypeArguments()[0];
            }
            return method.getReturnType();
        }

        /** The converter named by {@code @WithConverter}, on the method or on the element type, if any. */
        Optional<Converter<?>> explicitConverter() {
            WithConverter with = method.getAnnotation(WithConverter.class);
            AnnotatedType annotated = method.getAnnotatedReturnType();
            if (with == null && annotated instanceof AnnotatedParameterizedType parameterized) {
                with = parameterized.getAnnotatedActualTypeArguments()[0].getAnnotation(WithConverter.class);
            }
            if (with == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(with.value().getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + with.value(), e);
            }
        }
    }
}
