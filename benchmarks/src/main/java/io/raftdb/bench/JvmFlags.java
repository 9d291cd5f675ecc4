package io.raftdb.bench;

/** JVM arguments every benchmark fork needs (Chronicle Queue's module openings, no analytics). */
final class JvmFlags {
  static final String ADD_OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
  static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
  static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
  static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
  static final String NO_BANNER = "-Dchronicle.announcer.disable=true";
  static final String QUIET_CHRONICLE = "-Dorg.slf4j.simpleLogger.log.net.openhft=warn";

  private JvmFlags() {}
}
