package org.opforge.operators.fno.models;

/**
 * The architecture of a GINO (see {@link Gino}).
 *
 * @param features input features per point (after the two coordinates)
 * @param gnoChannels channels of the lifted features carried by the input GNO
 * @param width hidden channels of the latent FNO
 * @param modes Fourier modes kept per latent axis
 * @param layers Fourier blocks
 * @param latent latent grid points per axis
 * @param latentBox half-width of the square latent grid {@code [-b, b]²}
 * @param radius radius of both GNOs
 * @param kernelHidden hidden width of the GNO kernel MLPs (two hidden layers)
 * @param projectionChannels hidden channels of the pointwise projection
 */
public record GinoSpec(int features, int gnoChannels, int width, int modes, int layers, int latent, double latentBox, double radius,
                       int kernelHidden, int projectionChannels) {
    public GinoSpec {
        if (features < 1 || gnoChannels < 1 || width < 1 || modes < 1 || layers < 1 || kernelHidden < 1 || projectionChannels < 1) {
            throw new IllegalArgumentException("GINO sizes must be positive: features " + features + ", gno_channels " + gnoChannels
                    + ", width " + width + ", modes " + modes + ", layers " + layers + ", kernel_hidden " + kernelHidden
                    + ", projection_channels " + projectionChannels);
        }
        if (latent < 2 * modes) {
            throw new IllegalArgumentException("latent grid of " + latent + " points per axis cannot hold " + modes
                    + " Fourier modes: latent must be at least 2 * modes = " + 2 * modes);
        }
        if (!(latentBox > 0) || !(radius > 0)) {
            throw new IllegalArgumentException("latent_box and radius must be positive, found " + latentBox + " and " + radius);
        }
        double spacing = 2 * latentBox / (latent - 1);
        if (radius <= spacing / Math.sqrt(2)) {
            throw new IllegalArgumentException("GNO radius " + radius + " is below half the diagonal of a latent cell (" + spacing / Math.sqrt(2)
                    + "): a query could see no latent node; raise radius or latent");
        }
    }

    public GinoSpec withLatentBox(double box) {
        return new GinoSpec(features, gnoChannels, width, modes, layers, latent, box, radius, kernelHidden, projectionChannels);
    }
}
