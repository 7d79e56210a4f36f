package org.opforge.operators.fno.models;

import org.opforge.api.config.ConfigSchema;
import org.opforge.operators.fno.FnoSchemas;

/** The three operators of the family, by factory name. */
public enum FnoVariant {
    FNO("fno", "Fourier neural operator (Li et al. 2020) in 1, 2 or 3 dimensions"),
    TFNO("tfno", "tensorized FNO: CP / Tucker / TT factorized spectral weights (Kossaifi et al.)"),
    MG_TFNO("mg-tfno", "multigrid-patched TFNO: trains on 2^L x 2^L patches with coarse context, stitches at evaluation");

    private final String label;
    private final String description;

    FnoVariant(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() { return label; }

    public String description() { return description; }

    public ConfigSchema schema() {
        return switch (this) {
            case FNO -> FnoSchemas.fno();
            case TFNO -> FnoSchemas.tfno();
            case MG_TFNO -> FnoSchemas.mgTfno();
        };
    }

    public static FnoVariant of(String name) {
        for (FnoVariant v : values()) if (v.label.equals(name)) return v;
        throw new IllegalArgumentException("not an FNO-family operator: '" + name + "' (expected fno, tfno or mg-tfno)");
    }
}
