package io.raftdb.tcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files of mutual TLS: every node and client holds a certificate signed by the cluster's
 * certificate authority and accepts only peers that hold one too, so that nobody else can join,
 * send or read.
 *
 * @param certificateChain this party's certificate (chain), PEM
 * @param privateKey its private key, PKCS#8 PEM, unencrypted
 * @param trustedAuthorities the cluster's CA certificate(s), PEM
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedAuthorities) {

  /** Checks that each file exists and can be read. */
  public TlsFiles {
    readable("certificate chain", certificateChain);
    readable("private key", privateKey);
    readable("trusted authorities", trustedAuthorities);
  }

  private static void readable(String what, Path file) {
    Objects.requireNonNull(file, what);
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("TLS " + what + " file " + file + " cannot be read");
    }
  }
}
