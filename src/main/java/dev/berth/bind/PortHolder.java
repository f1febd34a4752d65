package dev.berth.bind;

/** A process that listens on a port: its pid and command line, as the operating system shows them. */
record PortHolder(long pid, String command) {

    @Override
    public String toString() {
        return "pid " + pid + " (" + command + ")";
    }
}
