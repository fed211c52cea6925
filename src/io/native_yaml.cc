// stub: implemented by its stage
