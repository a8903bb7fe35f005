/** Shown when the page opens without ?config=: a sprite dataset, a Comet group of epochs, and words. */
export const DEMO_CONFIGS = [
  'data/mnist-2k/projector_config.json',
  'data/digits-mlp-epochs/template-hidden-layer-1-configs.json',
  'data/digits-mlp-epochs/template-hidden-layer-2-configs.json',
  'data/glove-100d-10k/projector_config.json',
];

/**
 * The configs a page with this query opens first: its ?config= ones, else the demo, else none
 * (`?empty`). Read by the boot script (to ask for them early) and by the app (to open them).
 */
export function configsToOpen(configs: string[], search: string): string[] {
  if (configs.length > 0) return configs;
  return new URLSearchParams(search).has('empty') ? [] : DEMO_CONFIGS;
}
