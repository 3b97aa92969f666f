package zoo

// The denoising autoencoder of "Building Autoencoders in Keras" (DenoiseConfig): the
// encoder sees MNIST digits corrupted with clip(x + 0.5·N(0, 1), 0, 1) and the decoder
// must give back the clean digits. It is a ConvAE with NoiseFactor 0.5; see ConvAE.Loss
// for when the noise is drawn and ConvAE.Corrupt to make noisy inputs for a figure.
func init() { registerConv("denoise") }
