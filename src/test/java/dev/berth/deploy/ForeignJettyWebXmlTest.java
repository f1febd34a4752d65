package dev.berth.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForeignJettyWebXmlTest {

    @Test
    void anotherEnvironmentsContextIsForeignAndEe11IsNot() {
        assertThat(ForeignJettyWebXml.foreign("<!-- org.eclipse.jetty.ee11.webapp.WebAppContext -->"
                + "<Configure class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\"><Set name=\"x\">1</Set></Configure>"))
                .contains("org.eclipse.jetty.ee10.webapp.WebAppContext");
        assertThat(ForeignJettyWebXml.foreign("<Configure id='wac' class='org.eclipse.jetty.webapp.WebAppContext'/>"))
                .contains("org.eclipse.jetty.webapp.WebAppContext");
        assertThat(ForeignJettyWebXml.foreign("<Configure class=\"org.eclipse.jetty.ee11.webapp.WebAppContext\"/>")).isEmpty();
        assertThat(ForeignJettyWebXml.foreign("<!-- <Configure class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\"> -->")).isEmpty();
    }
}
