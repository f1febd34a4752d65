package dev.berth.it.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.support.SpringBootServletInitializer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The starter's deployable WAR: one controller, which logs through the WAR's own SLF4J and Logback. */
@SpringBootApplication
@RestController
public class BootApplication extends SpringBootServletInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(BootApplication.class);

    @Override
    protected SpringApplicationBuilder configure(SpringApplicationBuilder builder) {
        return builder.sources(BootApplication.class);
    }

    @GetMapping("/hello")
    public String hello() {
        LOG.info("hello logged through {}", LoggerFactory.getILoggerFactory().getClass().getName());
        return "hello from Spring Boot";
    }

    public static void main(String[] args) {
        SpringApplication.run(BootApplication.class, args);
    }
}
