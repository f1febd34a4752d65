package dev.berth.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** The permissions of a file Berth creates, written in octal ({@code 0660} or {@code 660}). */
public record FileMode(Set<PosixFilePermission> permissions) {

    /** PosixFilePermission's order is owner read, write, execute, group ..., others ...: bit 8 down to bit 0. */
    private static final PosixFilePermission[] BY_BIT = PosixFilePermission.values();

    public FileMode {
        permissions = Set.copyOf(permissions);
    }

    @Override
    public String toString() {
        return PosixFilePermissions.toString(permissions);
    }

    /** Reads the octal form. */
    public static final class OctalConverter implements Converter<FileMode> {
        @Override
        public FileMode convert(String value) {
            String text = value.strip();
            if (!text.matches("0?[0-7]{3}")) {
                throw new IllegalArgumentException("not an octal file mode (examples: 0660, 0600)");
            }
            int bits = Integer.parseInt(text, 8);
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (int i = 0; i < BY_BIT.length; i++) {
                if ((bits & (1 << (BY_BIT.length - 1 - i))) != 0) {
                    permissions.add(BY_BIT[i]);
                }
            }
            return new FileMode(permissions);
        }
    }
}
