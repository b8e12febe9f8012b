"""Enterprise profiles (企业画像): kept by the enterprises themselves or imported in bulk by
the operator; consent to pushes is the enterprise's own act."""
