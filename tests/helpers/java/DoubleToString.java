import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;

/** Reads one double per line as its 64 IEEE bits in hex; writes Double.toString of each, one per line. */
public final class DoubleToString {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "US-ASCII"), 1 << 16);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, "US-ASCII"), 1 << 16);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            out.write(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(line, 16))));
            out.write('\n');
        }
        out.flush();
    }
}
