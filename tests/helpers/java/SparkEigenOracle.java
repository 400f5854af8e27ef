import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Spark's eigen-decomposition and MultivariateGaussian, as Spark 3.5 runs them, for tests/bundles.
 *
 * One task a line on stdin, doubles as 16-digit hex bit patterns, matrices column-major; one answer a line on
 * stdout, flushed at once (a test keeps one JVM and asks it task by task):
 *   instances                 -> LAPACK and JavaBLAS class names (which implementations answer here)
 *   dsyev N A...              -> INFO W... Z...   (LAPACK.getInstance().dsyev("V", "L", n, lowerTriangular(A),
 *                                                   max(1, n), w, work, max(1, 3n - 1), info), as breeze's eigSym)
 *   eigsym N A...             -> W... Z...        (breeze.linalg.eigSym itself: proves the dsyev line above)
 *   gaussian N MEAN... COV... K X1... XK... -> ROOT... U ROOTMU... LOGPDF1..K SPARSELOGPDF1..K
 *                             (Spark's MultivariateGaussian: rootSigmaInvMat (column-major), u, rootSigmaInvMulMu,
 *                              logpdf of K dense points, then of the same points as sparse vectors)
 */
public class SparkEigenOracle {

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    java.io.PrintStream stdout = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        false, "UTF-8");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      StringBuilder out = new StringBuilder();
      if (line.isBlank()) continue;
      String[] t = line.trim().split("\\s+");
      Cursor c = new Cursor(t);
      String kind = c.word();
      List<Double> answer = new ArrayList<>();
      switch (kind) {
        case "instances":
          out.append(dev.ludovic.netlib.lapack.LAPACK.getInstance().getClass().getName()).append(' ')
              .append(dev.ludovic.netlib.blas.JavaBLAS.getInstance().getClass().getName()).append('\n');
          stdout.print(out);
          stdout.flush();
          continue;
        case "dsyev": dsyev(c, answer); break;
        case "eigsym": eigsym(c, answer); break;
        case "gaussian": gaussian(c, answer); break;
        default: throw new IllegalArgumentException("unknown task " + kind);
      }
      for (int i = 0; i < answer.size(); i++) {
        if (i > 0) out.append(' ');
        out.append(Long.toHexString(Double.doubleToRawLongBits(answer.get(i))));
      }
      out.append('\n');
      stdout.print(out);
      stdout.flush();
    }
  }

  static void dsyev(Cursor c, List<Double> answer) {
    int n = c.integer();
    double[] a = c.doubles(n * n);
    for (int j = 0; j < n; j++) for (int i = 0; i < j; i++) a[i + j * n] = 0.0;  // breeze's lowerTriangular copy
    double[] w = new double[n];
    int lwork = Math.max(1, 3 * n - 1);
    org.netlib.util.intW info = new org.netlib.util.intW(0);
    dev.ludovic.netlib.lapack.LAPACK.getInstance().dsyev("V", "L", n, a, Math.max(1, n), w, new double[lwork], lwork,
        info);
    answer.add((double) info.val);
    for (double x : w) answer.add(x);
    for (double x : a) answer.add(x);
  }

  static void eigsym(Cursor c, List<Double> answer) {
    int n = c.integer();
    breeze.linalg.DenseMatrix<Object> m = new breeze.linalg.DenseMatrix$mcD$sp(n, n, c.doubles(n * n));
    scala.Tuple2<breeze.linalg.DenseVector<Object>, scala.Option<breeze.linalg.DenseMatrix<Object>>> r =
        breeze.linalg.eigSym$.MODULE$.breeze$linalg$eigSym$$doEigSym(m, true);
    for (double x : r._1().data$mcD$sp()) answer.add(x);
    for (double x : r._2().get().data$mcD$sp()) answer.add(x);
  }

  static void gaussian(Cursor c, List<Double> answer) throws Exception {
    int n = c.integer();
    double[] mean = c.doubles(n);
    double[] cov = c.doubles(n * n);
    Class<?> type = org.apache.spark.ml.stat.distribution.MultivariateGaussian.class;
    org.apache.spark.ml.stat.distribution.MultivariateGaussian g =
        new org.apache.spark.ml.stat.distribution.MultivariateGaussian(
            org.apache.spark.ml.linalg.Vectors.dense(mean), org.apache.spark.ml.linalg.Matrices.dense(n, n, cov));
    org.apache.spark.ml.linalg.DenseMatrix root =
        ((org.apache.spark.ml.linalg.Matrix) call(type, g, "rootSigmaInvMat")).toDense();
    for (double x : root.toArray()) answer.add(x);
    answer.add((Double) call(type, g, "u"));
    for (double x : ((org.apache.spark.ml.linalg.DenseVector) call(type, g, "rootSigmaInvMulMu")).values()) {
      answer.add(x);
    }
    int k = c.integer();
    List<org.apache.spark.ml.linalg.Vector> points = new ArrayList<>();
    for (int i = 0; i < k; i++) points.add(org.apache.spark.ml.linalg.Vectors.dense(c.doubles(n)));
    for (org.apache.spark.ml.linalg.Vector x : points) answer.add(g.logpdf(x));
    for (org.apache.spark.ml.linalg.Vector x : points) answer.add(g.logpdf(x.toSparse()));
  }

  static Object call(Class<?> type, Object target, String name) throws Exception {
    Method m = type.getDeclaredMethod(name);
    m.setAccessible(true);
    return m.invoke(target);
  }

  static final class Cursor {
    final String[] tokens;
    int next = 0;

    Cursor(String[] tokens) { this.tokens = tokens; }

    String word() { return tokens[next++]; }

    int integer() { return Integer.parseInt(word()); }

    double[] doubles(int count) {
      double[] out = new double[count];
      for (int i = 0; i < count; i++) out[i] = Double.longBitsToDouble(Long.parseUnsignedLong(word(), 16));
      return out;
    }
  }
}
