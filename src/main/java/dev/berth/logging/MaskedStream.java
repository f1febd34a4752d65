package dev.berth.logging;

import dev.berth.base.Secrets;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The stream Jetty's {@code StdErrAppender} prints its text lines to: each line reaches {@code out} with its
 * secrets masked. The appender prints whole entries (a stack trace included) with one {@code println}.
 */
final class MaskedStream extends PrintStream {

    private final PrintStream out;

    MaskedStream(PrintStream out) {
        super(OutputStream.nullOutputStream(), true);
        this.out = out;
    }

    @Override
    public void println(Object entry) {
        println(String.valueOf(entry));
    }

    @Override
    public void println(String entry) {
        out.println(Secrets.mask(entry));
    }
}
