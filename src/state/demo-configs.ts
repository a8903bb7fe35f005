/** Shown when the page opens without ?config=: a sprite dataset, a Comet group of epochs, and words. */
export const DEMO_CONFIGS = [
  'data/mnist-2k/projector_config.json',
  'data/digits-mlp-epochs/template-hidden-layer-1-configs.json',
  'data/digits-mlp-epochs/template-hidden-layer-2-configs.json',
  'data/glove-100d-10k/projector_config.json',
];
