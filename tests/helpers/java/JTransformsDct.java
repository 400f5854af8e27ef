import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.jtransforms.dct.DoubleDCT_1D;

/** Spark's DCT as Spark calls it (DoubleDCT_1D(n).forward/inverse(a, true)); one vector a line on stdin:
 *  "F" or "I", then the doubles as hex bit patterns; prints the result's bit patterns, one vector a line. */
public class JTransformsDct {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.trim().split(" ");
            double[] a = new double[parts.length - 1];
            for (int i = 0; i < a.length; i++) {
                a[i] = Double.longBitsToDouble(Long.parseUnsignedLong(parts[i + 1], 16));
            }
            DoubleDCT_1D dct = new DoubleDCT_1D(a.length);
            if (parts[0].equals("I")) {
                dct.inverse(a, true);
            } else {
                dct.forward(a, true);
            }
            for (int i = 0; i < a.length; i++) {
                out.append(i == 0 ? "" : " ").append(Long.toHexString(Double.doubleToRawLongBits(a[i])));
            }
            out.append('\n');
        }
        System.out.print(out);
        System.out.flush();
        System.exit(0);  // JTransforms' thread pool must not keep the JVM up
    }
}
