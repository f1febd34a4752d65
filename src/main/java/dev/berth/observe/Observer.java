package dev.berth.observe;

/**
 * What Berth's packages report as it happens, for the metrics: a request held during the deployment leaving the
 * hold, the application handed the port, a call on the session store. {@link #NONE} ignores it all; with metrics on,
 * {@code dev.berth.metrics} records it. No type of a metrics library appears here, so nothing of one is loaded while
 * metrics are off.
 */
public interface Observer {

    /** Reports nothing: metrics are off. */
    Observer NONE = new Observer() {
    };

    /** How a request held during the deployment left the hold. */
    enum Release {
        /** handed to the application once it served */
        SERVED,
        /** answered 503: the hold ran out, the application failed, Berth is stopping, or too many were held already */
        REFUSED,
        /** the client went away first, when Jetty noticed (HTTP/1.1 does not read a held request's connection) */
        ABANDONED
    }

    /** A request held while the application deployed left the hold after {@code waitNanos}. */
    default void released(Release release, long waitNanos) {
    }

    /** The application was handed the port. */
    default void handedOver() {
    }

    /** One call on a remote session store ({@code load}, {@code store}, {@code delete}, {@code exists}) took {@code nanos}. */
    default void sessionStoreCall(String operation, long nanos, boolean failed) {
    }
}
