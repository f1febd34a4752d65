package dev.berth.it.cdi;

import jakarta.enterprise.context.ApplicationScoped;

/** A bean of the WAR's CDI container. */
@ApplicationScoped
public class Greeter {

    public String greeting() {
        return "hello from CDI";
    }
}
