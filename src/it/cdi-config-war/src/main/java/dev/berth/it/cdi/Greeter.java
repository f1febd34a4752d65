package dev.berth.it.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** A bean of the WAR's CDI container, given a value of the WAR's MicroProfile Config by its CDI extension. */
@ApplicationScoped
public class Greeter {

    @Inject
    @ConfigProperty(name = "greeting")
    String greeting;

    public String greeting() {
        return greeting;
    }
}
