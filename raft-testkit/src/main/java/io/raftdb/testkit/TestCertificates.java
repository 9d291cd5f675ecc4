package io.raftdb.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Makes a certificate authority and certificates it signs, with the JDK's {@code keytool} (no
 * other tool needed), and writes them as the PEM files the TCP transport's TLS takes; a JDK
 * {@link SSLContext} for the same party serves clients that take one (a Redis client library).
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";

  private final Path dir;
  private final String caName;

  /**
   * A party's PEM files.
   *
   * @param certificateChain its certificate followed by the CA's
   * @param privateKey its key, PKCS#8, unencrypted
   * @param authority the CA's certificate
   */
  public record Pem(Path certificateChain, Path privateKey, Path authority) {}

  /** A new CA named {@code caName} under {@code dir}. */
  public TestCertificates(Path dir, String caName) throws Exception {
    this.dir = dir;
    this.caName = caName;
    keytool("-genkeypair", "-keystore", store(caName), "-alias", caName, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + caName, "-ext", "bc:c", "-validity", "2");
    keytool("-exportcert", "-rfc", "-keystore", store(caName), "-alias", caName, "-file",
        dir.resolve(caName + ".pem").toString());
  }

  /** The PEM files of a party named {@code name}, signed by this CA. */
  public Pem issue(String name) throws Exception {
    keytool("-genkeypair", "-keystore", store(name), "-alias", name, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2");
    Path csr = dir.resolve(name + ".csr");
    keytool("-certreq", "-keystore", store(name), "-alias", name, "-file", csr.toString());
    Path cert = dir.resolve(name + ".crt");
    keytool("-gencert", "-rfc", "-keystore", store(caName), "-alias", caName, "-infile",
        csr.toString(), "-outfile", cert.toString(), "-validity", "2");
    Path chain = dir.resolve(name + "-chain.pem");
    Files.writeString(chain, Files.readString(cert) + Files.readString(caPem()));
    Path key = dir.resolve(name + "-key.pem");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(name).getEncoded()));
    return new Pem(chain, key, caPem());
  }

  /**
   * A TLS context that presents {@code name}'s certificate (issued by {@link #issue}) and trusts
   * only this CA.
   */
  public SSLContext sslContext(String name) throws Exception {
    // the key store still holds keytool's self-signed certificate: present the CA-signed chain
    KeyStore own = KeyStore.getInstance("PKCS12");
    own.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve(name + "-chain.pem"))) {
      own.setKeyEntry(name, privateKey(name), PASSWORD.toCharArray(),
          CertificateFactory.getInstance("X.509").generateCertificates(in)
              .toArray(new Certificate[0]));
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    keys.init(own, PASSWORD.toCharArray());
    return context(keys.getKeyManagers());
  }

  /** A TLS context that trusts only this CA and presents no certificate of its own. */
  public SSLContext anonymousContext() throws Exception {
    return context(null);
  }

  private SSLContext context(KeyManager[] keys) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem())) {
      trusted.setCertificateEntry(caName, CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust.getTrustManagers(), null);
    return context;
  }

  private Path caPem() {
    return dir.resolve(caName + ".pem");
  }

  private Key privateKey(String name) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks.getKey(name, PASSWORD.toCharArray());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private String store(String name) {
    return dir.resolve(name + ".p12").toString();
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass",
        PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
