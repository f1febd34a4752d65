package dev.berth.resources;

/**
 * Stands at {@code java:comp/env/NAME} for a resource of a type Berth does not provide (a mail session, a JMS
 * factory): the WAR deploys, and its lookup returns this, which says what it is.
 */
record MissingResource(String name, String type) {

    @Override
    public String toString() {
        return "Berth provides no " + type + " for java:comp/env/" + name;
    }
}
