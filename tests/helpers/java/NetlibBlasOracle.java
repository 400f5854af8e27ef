import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;

/**
 * dev.ludovic.netlib's JVM BLAS (the one Spark's `BLAS.javaBLAS` gets: VectorBLAS when the JVM runs with
 * --add-modules=jdk.incubator.vector, as Spark 4's launcher starts it, else Java11BLAS) asked line by line.
 * Numbers travel as the hex of their IEEE bits. Tasks (one answer line each):
 *   impl                                         -> "<class simple name> <DoubleVector.SPECIES_MAX lanes or 0>"
 *   ddot n x1..xn y1..yn                         -> ddot(n, x, 1, y, 1)
 *   dgemv T|N m n alpha beta a1..a(m*n) x.. y..   -> y after dgemv(trans, m, n, alpha, a, m, x, 1, beta, y, 1)
 *                                                   (a column-major, lda = m; x and y sized for trans)
 */
public class NetlibBlasOracle {
  private static int pos;
  private static String[] tokens;

  private static double next() {
    return Double.longBitsToDouble(Long.parseUnsignedLong(tokens[pos++], 16));
  }

  private static double[] doubles(int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = next();
    return out;
  }

  private static String hex(double v) {
    return Long.toHexString(Double.doubleToRawLongBits(v));
  }

  private static int lanes() {
    try {
      Class<?> vector = Class.forName("jdk.incubator.vector.DoubleVector");
      Object species = vector.getField("SPECIES_MAX").get(null);
      return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
    } catch (ReflectiveOperationException | LinkageError e) {
      return 0;
    }
  }

  public static void main(String[] args) throws Exception {
    BLAS blas = JavaBLAS.getInstance();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    PrintStream out = new PrintStream(System.out, false);
    String line;
    while ((line = in.readLine()) != null) {
      tokens = line.trim().split("\\s+");
      pos = 1;
      StringBuilder answer = new StringBuilder();
      switch (tokens[0]) {
        case "impl":
          answer.append(blas.getClass().getSimpleName()).append(' ').append(lanes());
          break;
        case "ddot": {
          int n = Integer.parseInt(tokens[pos++]);
          double[] x = doubles(n);
          double[] y = doubles(n);
          answer.append(hex(blas.ddot(n, x, 1, y, 1)));
          break;
        }
        case "dgemv": {
          String trans = tokens[pos++];
          int m = Integer.parseInt(tokens[pos++]);
          int n = Integer.parseInt(tokens[pos++]);
          double alpha = next();
          double beta = next();
          double[] a = doubles(m * n);
          boolean plain = trans.equals("N");
          double[] x = doubles(plain ? n : m);
          double[] y = doubles(plain ? m : n);
          blas.dgemv(trans, m, n, alpha, a, Math.max(1, m), x, 1, beta, y, 1);
          for (int i = 0; i < y.length; i++) answer.append(i == 0 ? "" : " ").append(hex(y[i]));
          break;
        }
        default:
          throw new IllegalArgumentException("unknown task " + tokens[0]);
      }
      out.println(answer);
      out.flush();
    }
  }
}
