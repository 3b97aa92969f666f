package kernels

// kernelPackedGo is the pure-Go micro-kernel on packed strips. For i < MR, j < n (n ≤ NR):
//
//	var acc float32
//	for p := 0; p < k; p++ {
//		acc += a[p*MR+i] * b[p*NR+j]
//	}
//	c[i*ldc+j] = alpha*acc + beta*c[i*ldc+j] // beta == 0: alpha*acc, c not read
//
// a is an MR-row strip (packA), b an NR-column strip (packB).
func kernelPackedGo(k int, a, b, c []float32, ldc int, alpha, beta float32, n int) {
	var acc [MR][NR]float32
	a = a[:k*MR]
	b = b[:k*NR]
	for p := 0; p < k; p++ {
		ap := (*[MR]float32)(a[p*MR:])
		bp := (*[NR]float32)(b[p*NR:])
		for i := range MR {
			ai := ap[i]
			r := &acc[i]
			for j := range NR {
				r[j] += ai * bp[j]
			}
		}
	}
	storeTile(&acc, c, ldc, alpha, beta, n)
}

// kernelRowsGo is the pure-Go micro-kernel reading MR rows of A in place. For i < MR,
// j < n (n ≤ NR):
//
//	var acc float32
//	for p := 0; p < k; p++ {
//		acc += a[i*lda+p] * b[p*NR+j]
//	}
//	c[i*ldc+j] = alpha*acc + beta*c[i*ldc+j] // beta == 0: alpha*acc, c not read
//
// b is an NR-column strip (packB).
func kernelRowsGo(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	var acc [MR][NR]float32
	b = b[:k*NR]
	var rows [MR][]float32
	for i := range MR {
		rows[i] = a[i*lda : i*lda+k]
	}
	for p := 0; p < k; p++ {
		bp := (*[NR]float32)(b[p*NR:])
		for i := range MR {
			ai := rows[i][p]
			r := &acc[i]
			for j := range NR {
				r[j] += ai * bp[j]
			}
		}
	}
	storeTile(&acc, c, ldc, alpha, beta, n)
}

// kernelColsGo is the pure-Go micro-kernel reading a transposed A in place. For i < MR,
// j < n (n ≤ NR):
//
//	var acc float32
//	for p := 0; p < k; p++ {
//		acc += a[p*lda+i] * b[p*NR+j]
//	}
//	c[i*ldc+j] = alpha*acc + beta*c[i*ldc+j] // beta == 0: alpha*acc, c not read
//
// b is an NR-column strip (packB).
func kernelColsGo(k int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, n int) {
	var acc [MR][NR]float32
	b = b[:k*NR]
	for p := 0; p < k; p++ {
		ap := (*[MR]float32)(a[p*lda:])
		bp := (*[NR]float32)(b[p*NR:])
		for i := range MR {
			ai := ap[i]
			r := &acc[i]
			for j := range NR {
				r[j] += ai * bp[j]
			}
		}
	}
	storeTile(&acc, c, ldc, alpha, beta, n)
}

// storeTile writes the first n columns of alpha·acc + beta·C, rounding alpha·acc and beta·C
// separately (no fused multiply-add), as the assembly does.
func storeTile(acc *[MR][NR]float32, c []float32, ldc int, alpha, beta float32, n int) {
	for i := range MR {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			for j := range row {
				row[j] = alpha * acc[i][j]
			}
			continue
		}
		for j := range row {
			row[j] = float32(alpha*acc[i][j]) + float32(beta*row[j])
		}
	}
}

// packRows16Go sets dst[p*16:p*16+16] = src[p*lds:p*lds+n] for p < rows, zero past n ≤ 16.
func packRows16Go(dst, src []float32, lds, rows, n int) {
	for p := 0; p < rows; p++ {
		d := (*[16]float32)(dst[p*16:])
		s := src[p*lds : p*lds+n]
		for j, v := range s {
			d[j] = v
		}
		for j := n; j < 16; j++ {
			d[j] = 0
		}
	}
}

// packStrips6Go sets dst[s*str+p*6+r] = src[p*lds+s*6+r] for p < kc, s < strips, r < 6.
func packStrips6Go(dst []float32, str int, src []float32, lds, kc, strips int) {
	for p := 0; p < kc; p++ {
		row := src[p*lds : p*lds+strips*6]
		for s := 0; s < strips; s++ {
			d := dst[s*str+p*6 : s*str+p*6+6]
			v := row[s*6 : s*6+6]
			d[0], d[1], d[2], d[3], d[4], d[5] = v[0], v[1], v[2], v[3], v[4], v[5]
		}
	}
}
