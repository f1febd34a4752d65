package dev.berth.logging;

/** What a JSON log line tells about the running Berth besides the entry itself: its phase and the port it serves. */
record LogContext(String phase, int port) {
}
