package dev.berth.base;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up timeline: each phase once, in order, with its duration, and their sum. */
class TimelineTest {

    @Test
    void eachPhaseIsTheTimeSinceThePreviousMarkAndTheirSumEndsTheLine() throws InterruptedException {
        Timeline timeline = new Timeline();
        timeline.mark("config");
        Thread.sleep(20);
        timeline.mark("bind");
        String line = timeline.describe();
        assertThat(line).matches("config \\d+ ms, bind (\\d+) ms \\((\\d+) ms in all\\)");
        long bind = Long.parseLong(line.replaceAll(".*bind (\\d+) ms.*", "$1"));
        long all = Long.parseLong(line.replaceAll(".*\\((\\d+) ms in all\\)", "$1"));
        assertThat(bind).isGreaterThanOrEqualTo(20);
        assertThat(all).isGreaterThanOrEqualTo(bind);
    }
}
