// Needs dev.steadfast.archive.storage.Sha256 from commit 215c912 (reverted): javac -cp steadfast.jar ShaCmp.java
import java.security.MessageDigest;
public class ShaCmp { public static void main(String[] a) throws Exception {
 byte[] b = new byte[530_000]; new java.util.Random(1).nextBytes(b);
 var bean = java.lang.management.ManagementFactory.getThreadMXBean();
 for (int r=0;r<8;r++) for (String k : new String[]{"jdk","ours"}) {
  long c0 = bean.getCurrentThreadCpuTime();
  for(int i=0;i<300;i++){ MessageDigest md = k.equals("jdk") ? MessageDigest.getInstance("SHA-256") : dev.steadfast.archive.storage.Sha256.newDigest();
    for(int o=0;o<b.length;o+=65536) md.update(b,o,Math.min(65536,b.length-o)); md.digest(); }
  if (r>=5) System.out.printf("%s %.3f ms CPU/instance%n", k, (bean.getCurrentThreadCpuTime()-c0)/300/1e6); } } }
