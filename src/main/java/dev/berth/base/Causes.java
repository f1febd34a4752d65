package dev.berth.base;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** An exception's chain of causes, walked the one way: from the exception itself to its root, a loop ending it. */
public final class Causes {

    /** Chains longer than this are cut: a cause that points back at an earlier one would otherwise never end. */
    private static final int LONGEST = 64;

    private Causes() {
    }

    /** {@code failure}, its cause, that one's cause, and so on to the root. */
    public static Stream<Throwable> chain(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, t -> t.getCause() == t ? null : t.getCause()).limit(LONGEST);
    }

    /** The last of the chain: the failure no other caused. */
    public static Throwable root(Throwable failure) {
        return chain(failure).reduce((first, second) -> second).orElse(failure);
    }

    /** The first throwable of the chain that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return chain(failure).filter(type::isInstance).map(type::cast).findFirst();
    }
}
