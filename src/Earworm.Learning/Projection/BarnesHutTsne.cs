namespace Earworm.Learning.Projection;

/// <summary>
/// Barnes-Hut t-SNE (van der Maaten, "Accelerating t-SNE using Tree-Based Algorithms", JMLR 2014): P kept sparse on each
/// point's ⌊3·perplexity⌋ nearest neighbours (exact search), the attractive forces summed over those, the repulsive
/// forces and the normalisation Z approximated with a quadtree: a cell seen from y_i under an angle below θ (its
/// diagonal over its distance to y_i) counts as its point count at its centre of mass. O(n log n) per step instead of
/// O(n²), so the map of a library of tens of thousands of tracks fits in memory.
/// </summary>
internal static class BarnesHutTsne
{
    /// <summary>Sparse symmetric P in compressed rows (<c>RowStart</c>, <c>Columns</c>, <c>Values</c>), summing to 1.</summary>
    internal sealed record SparseP(int[] RowStart, int[] Columns, double[] Values);

    internal static SparseP Affinities(ReadOnlySpan<float> data, int n, int dims, double perplexity)
    {
        int k = Math.Min(n - 1, (int)Math.Floor(3 * perplexity));
        var neighbours = new int[n * k];
        var distances = new double[n * k];
        var row = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            var a = data.Slice(i * dims, dims);
            for (int j = 0; j < n; j++)
            {
                order[j] = j;
                if (j == i) { row[j] = double.PositiveInfinity; continue; }
                var b = data.Slice(j * dims, dims);
                double s = 0;
                for (int c = 0; c < dims; c++) { double t = a[c] - b[c]; s += t * t; }
                row[j] = s;
            }
            Array.Sort((double[])row.Clone(), order);
            for (int m = 0; m < k; m++) { neighbours[i * k + m] = order[m]; distances[i * k + m] = row[order[m]]; }
        }
        // conditional affinities over the k neighbours: the exact calibration applied to a row of k distances
        var conditional = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            var d = new double[(k + 1) * (k + 1)];
            for (int m = 0; m < k; m++) d[m + 1] = distances[i * k + m]; // row 0 of a (k+1)-point problem: point i first
            var p = Tsne.ConditionalProbabilities(d, k + 1, Math.Min(perplexity, k), rows: 1);
            for (int m = 0; m < k; m++) conditional[i * k + m] = p[m + 1];
        }
        var sym = new Dictionary<int, double>[n];
        for (int i = 0; i < n; i++) sym[i] = [];
        for (int i = 0; i < n; i++)
            for (int m = 0; m < k; m++)
            {
                int j = neighbours[i * k + m];
                double v = conditional[i * k + m] / (2.0 * n);
                sym[i][j] = sym[i].GetValueOrDefault(j) + v;
                sym[j][i] = sym[j].GetValueOrDefault(i) + v;
            }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + sym[i].Count;
        var cols = new int[start[n]];
        var vals = new double[start[n]];
        for (int i = 0; i < n; i++)
        {
            int at = start[i];
            foreach (var (j, v) in sym[i].OrderBy(e => e.Key)) { cols[at] = j; vals[at++] = v; }
        }
        return new SparseP(start, cols, vals);
    }

    /// <summary>Writes the approximate gradient; returns the estimated Z (Σ_{i≠j} (1 + ‖y_i − y_j‖²)⁻¹).</summary>
    internal static double Gradient(SparseP p, double exaggeration, double[] y, int n, double theta, double[] gradient)
    {
        var tree = new QuadTree(y, n);
        var repX = new double[n];
        var repY = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            double zi = 0, rx = 0, ry = 0;
            tree.Repulsion(0, y[2 * i], y[2 * i + 1], theta * theta, ref zi, ref rx, ref ry);
            z += zi;
            repX[i] = rx;
            repY[i] = ry;
        }
        for (int i = 0; i < n; i++)
        {
            double ax = 0, ay = 0;
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double w = 1 / (1 + dx * dx + dy * dy);
                double f = exaggeration * p.Values[e] * w;
                ax += f * dx;
                ay += f * dy;
            }
            gradient[2 * i] = 4 * (ax - repX[i] / z);
            gradient[2 * i + 1] = 4 * (ay - repY[i] / z);
        }
        return z;
    }

    /// <summary>KL(P‖Q) over the sparse P, with Q from the (estimated) Z.</summary>
    internal static double Kl(SparseP p, double[] y, int n, double z)
    {
        double kl = 0;
        for (int i = 0; i < n; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = Math.Max(1 / (1 + dx * dx + dy * dy) / z, 1e-12);
                if (p.Values[e] > 0) kl += p.Values[e] * Math.Log(p.Values[e] / q);
            }
        return kl;
    }

    /// <summary>A point-region quadtree over the map with counts and centres of mass; leaves hold one point (or
    /// several identical ones past a depth limit).</summary>
    private sealed class QuadTree
    {
        private readonly List<double> _cx = [], _cy = [], _half = [], _comX = [], _comY = [];
        private readonly List<int> _count = [], _firstChild = [], _point = [];
        private readonly double[] _y;

        public QuadTree(double[] y, int n)
        {
            _y = y;
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            for (int i = 0; i < n; i++)
            {
                minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
                minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
            }
            double half = Math.Max(Math.Max(maxX - minX, maxY - minY) / 2, 1e-9) * (1 + 1e-6);
            NewNode((minX + maxX) / 2, (minY + maxY) / 2, half);
            for (int i = 0; i < n; i++) Insert(0, i, 0);
        }

        private int NewNode(double cx, double cy, double half)
        {
            _cx.Add(cx); _cy.Add(cy); _half.Add(half); _comX.Add(0); _comY.Add(0);
            _count.Add(0); _firstChild.Add(-1); _point.Add(-1);
            return _cx.Count - 1;
        }

        private void Insert(int node, int i, int depth)
        {
            double px = _y[2 * i], py = _y[2 * i + 1];
            while (true)
            {
                int c = _count[node];
                _comX[node] = (_comX[node] * c + px) / (c + 1);
                _comY[node] = (_comY[node] * c + py) / (c + 1);
                _count[node] = c + 1;
                if (_firstChild[node] < 0)
                {
                    if (c == 0) { _point[node] = i; return; }
                    if (depth > 50) return; // identical points: the leaf just counts them
                    Split(node);
                    int old = _point[node];
                    _point[node] = -1;
                    int child = Child(node, _y[2 * old], _y[2 * old + 1]);
                    _comX[child] = _y[2 * old]; _comY[child] = _y[2 * old + 1]; _count[child] = 1; _point[child] = old;
                }
                node = Child(node, px, py);
                depth++;
            }
        }

        private void Split(int node)
        {
            double h = _half[node] / 2, cx = _cx[node], cy = _cy[node];
            int first = NewNode(cx - h, cy - h, h);
            NewNode(cx + h, cy - h, h);
            NewNode(cx - h, cy + h, h);
            NewNode(cx + h, cy + h, h);
            _firstChild[node] = first;
        }

        private int Child(int node, double x, double y) =>
            _firstChild[node] + (x >= _cx[node] ? 1 : 0) + (y >= _cy[node] ? 2 : 0);

        /// <summary>Adds Σ w (over the cell's points, not the query itself) to z and Σ w² (y − y_j) to (rx, ry).</summary>
        public void Repulsion(int node, double x, double y, double theta2, ref double z, ref double rx, ref double ry)
        {
            int count = _count[node];
            if (count == 0) return;
            double dx = x - _comX[node], dy = y - _comY[node];
            double d2 = dx * dx + dy * dy;
            bool leaf = _firstChild[node] < 0;
            double width = 2 * _half[node];
            if (leaf || width * width < theta2 * d2)
            {
                if (leaf && d2 == 0) { z += count - 1; return; } // the query itself left out; exact duplicates: w = 1, no force
                double w = 1 / (1 + d2);
                z += count * w;
                rx += count * w * w * dx;
                ry += count * w * w * dy;
                return;
            }
            for (int c = 0; c < 4; c++) Repulsion(_firstChild[node] + c, x, y, theta2, ref z, ref rx, ref ry);
        }
    }
}
