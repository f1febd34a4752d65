package dev.berth.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One line of meaning for a configuration property, shown by {@code --help}. Kept on the mapping itself so
 * the help can never drift from the properties Berth really reads.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Doc {
    /** What the property means, one line. */
    String value();

    /** How the default reads in the help when it is not a literal value (for example "value of PORT"). */
    String defaultText() default "";

    /** Whether the value is a secret: masked wherever it is shown (--print-config, errors). */
    boolean secret() default false;
}
