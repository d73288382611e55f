export {
  createButtonPanel,
  createPanelDecoder,
  parsePanelUri,
  type ButtonPanel,
  type PanelConfig,
} from './button-panel.js';
