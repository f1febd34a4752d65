package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

/** An octal permission mode for a file Berth creates, such as {@code 0660} or {@code 660}. */
public final class FileModeConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        String text = value.strip();
        if (!text.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("not an octal file mode (examples: 0660, 0600)");
        }
        return text.length() == 3 ? "0" + text : text;
    }
}
