package dev.berth.resources;

/**
 * Runs a step with a class loader as the thread's context class loader, and puts the previous one back: JNDI binds
 * into the context its loader names, and a JDBC driver named by a WAR is found through it.
 */
final class ContextClassLoader {

    /** A step that returns a value and may throw. */
    interface Step<T, E extends Exception> {
        T run() throws E;
    }

    private ContextClassLoader() {
    }

    static <T, E extends Exception> T with(ClassLoader loader, Step<T, E> step) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return step.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
