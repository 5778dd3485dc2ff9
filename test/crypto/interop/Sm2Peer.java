import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.util.encoders.Hex;

/**
 * An independent SM2/SM3/SM4-GCM peer for test/crypto/sm2-interop.test.ts: Bouncy Castle's
 * lightweight API (Debian's libbcprov-java). One command per input line, one answer per output line:
 *   sign <d> <id> <message>            → r‖s (SM2Signer, plain encoding)
 *   verify <x> <y> <id> <message> <rs> → true | false
 *   sm3 <message>                      → digest
 *   sm4gcm <key> <nonce> <aad> <plain> → ciphertext‖tag
 * Every argument is hex ("-" for empty).
 */
public final class Sm2Peer {
  private static final X9ECParameters CURVE = GMNamedCurves.getByName("sm2p256v1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN());

  private static byte[] hex(String s) {
    return s.equals("-") ? new byte[0] : Hex.decode(s);
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    for (String line; (line = in.readLine()) != null; ) {
      String[] a = line.trim().split(" ");
      String out;
      switch (a[0]) {
        case "sign": {
          SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
          ECPrivateKeyParameters key = new ECPrivateKeyParameters(new BigInteger(a[1], 16), DOMAIN);
          signer.init(true, new ParametersWithID(new ParametersWithRandom(key, new SecureRandom()), hex(a[2])));
          byte[] m = hex(a[3]);
          signer.update(m, 0, m.length);
          out = Hex.toHexString(signer.generateSignature());
          break;
        }
        case "verify": {
          SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
          ECPublicKeyParameters key = new ECPublicKeyParameters(
              CURVE.getCurve().createPoint(new BigInteger(a[1], 16), new BigInteger(a[2], 16)), DOMAIN);
          verifier.init(false, new ParametersWithID(key, hex(a[3])));
          byte[] m = hex(a[4]);
          verifier.update(m, 0, m.length);
          out = Boolean.toString(verifier.verifySignature(hex(a[5])));
          break;
        }
        case "sm3": {
          SM3Digest digest = new SM3Digest();
          byte[] m = hex(a[1]);
          digest.update(m, 0, m.length);
          byte[] d = new byte[32];
          digest.doFinal(d, 0);
          out = Hex.toHexString(d);
          break;
        }
        case "sm4gcm": {
          GCMBlockCipher gcm = new GCMBlockCipher(new SM4Engine());
          gcm.init(true, new AEADParameters(new KeyParameter(hex(a[1])), 128, hex(a[2]), hex(a[3])));
          byte[] p = hex(a[4]);
          byte[] c = new byte[gcm.getOutputSize(p.length)];
          int n = gcm.processBytes(p, 0, p.length, c, 0);
          gcm.doFinal(c, n);
          out = Hex.toHexString(c);
          break;
        }
        default:
          out = "unknown command";
      }
      System.out.println(out);
      System.out.flush();
    }
  }
}
