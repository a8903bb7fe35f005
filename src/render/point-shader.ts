/**
 * One draw call for every point. Each point is a screen-aligned square (a thumbnail from its
 * atlas cell) or a disc, sized as point-sizing.ts says. Per-point state (hidden, selected) is a
 * byte attribute; the hovered point is a uniform, so hovering never touches a buffer. With
 * PICKING defined the same vertex stage writes each point's index + 1 as its colour: the id
 * buffer for GPU picking, exactly as drawn.
 */
import * as THREE from 'three';
import { MAX_ATLAS_PAGES } from './atlas-pages';
import { HOVERED_DEPTH_BIAS, HOVERED_SCALE, SELECTED_DEPTH_BIAS, SELECTED_SCALE } from './point-sizing';

const f = (x: number) => x.toFixed(4);

export const pointVertexShader = /* glsl */ `
precision highp float;
precision highp int;
attribute vec3 color;
attribute float pointIndex;
attribute float pointState;
uniform float uWorldSize;
uniform float uScreenPx;
uniform float uUnits;
uniform float uViewportHeight;
uniform float uMaxPx;
uniform float uStyle;
uniform float uDotBelow;
uniform float uHasSprite;
uniform float uHovered;
uniform float uHasSelection;
varying vec3 vColor;
varying float vIndex;
varying float vHovered;
varying float vSelected;
varying float vRound;
varying float vDim;
void main() {
  float hidden = mod(pointState, 2.0);
  float selected = floor(pointState / 2.0 + 0.01);
  vColor = color; vIndex = pointIndex; vHovered = 0.0; vSelected = selected; vRound = 1.0; vDim = 0.0;
  // Points outside a sample are not placed, and hidden categories are not drawn: nowhere.
  if (abs(position.x) > 1e5 || hidden > 0.5) {
    gl_Position = vec4(0.0, 0.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mv;
  float px = uUnits < 0.5
    ? uWorldSize * projectionMatrix[1][1] * uViewportHeight * 0.5 / max(gl_Position.w, 1e-6)
    : uScreenPx;
  px = min(px, uMaxPx);
  vRound = (uHasSprite < 0.5 || uStyle > 1.5 || (uStyle < 0.5 && px < uDotBelow)) ? 1.0 : 0.0;
#ifdef PICKING
  float hovered = 0.0;
#else
  float hovered = abs(pointIndex - uHovered) < 0.5 ? 1.0 : 0.0;
#endif
  vHovered = hovered;
  vDim = uHasSelection * (1.0 - selected) * (1.0 - hovered);
  gl_PointSize = px * (1.0 + ${f(SELECTED_SCALE - 1)} * selected) * (1.0 + ${f(HOVERED_SCALE - 1)} * hovered);
  gl_Position.z -= (${f(SELECTED_DEPTH_BIAS)} * selected + ${f(HOVERED_DEPTH_BIAS)} * hovered) * gl_Position.w;
}
`;

const pageSamplers = Array.from({ length: MAX_ATLAS_PAGES }, (_, k) => `uniform sampler2D uAtlas${k};`).join('\n');
const pageLookup = Array.from({ length: MAX_ATLAS_PAGES }, (_, k) =>
  k === MAX_ATLAS_PAGES - 1 ? `texture2D(uAtlas${k}, uv)` : `page == ${k} ? texture2D(uAtlas${k}, uv) :`,
).join('\n    ');

export const pointFragmentShader = /* glsl */ `
precision highp float;
precision highp int;
${pageSamplers}
uniform float uHasSprite;
uniform float uTint;
uniform vec2 uCellUv;
uniform int uPageColumns;
uniform int uCellsPerPage;
varying vec3 vColor;
varying float vIndex;
varying float vHovered;
varying float vSelected;
varying float vRound;
varying float vDim;
const vec3 HOVER = vec3(1.0, 0.35, 0.0);
const vec3 SELECT = vec3(0.95, 0.75, 0.0);
const vec3 DIM = vec3(0.6);
void main() {
  vec2 pc = gl_PointCoord;
  float r = length(pc - 0.5);
#ifdef PICKING
  if (vRound > 0.5 && r > 0.5) discard;
  int id = int(vIndex + 0.5) + 1;
  gl_FragColor = vec4(float(id & 255), float((id >> 8) & 255), float((id >> 16) & 255), 255.0) / 255.0;
#else
  vec3 ring = vHovered > 0.5 ? HOVER : SELECT;
  float marked = max(vHovered, vSelected);
  if (vRound > 0.5) {
    if (r > 0.5) discard;
    vec3 c = marked > 0.5 && r > 0.36 ? ring : vColor;
    gl_FragColor = vec4(mix(c, DIM, 0.7 * vDim), 1.0);
    return;
  }
  float edge = max(abs(pc.x - 0.5), abs(pc.y - 0.5));
  if (marked > 0.5 && edge > 0.42) { gl_FragColor = vec4(ring, 1.0); return; }
  int i = int(vIndex + 0.5);
  int page = i / uCellsPerPage;
  int j = i - page * uCellsPerPage;
  int row = j / uPageColumns;
  int col = j - row * uPageColumns;
  vec2 uv = (vec2(float(col), float(row)) + pc) * uCellUv;
  vec4 t = ${pageLookup};
  // Opaque or nothing: with depth writes on, thumbnails cannot flicker through each other in 3D.
  if (t.a < 0.05) discard;
  vec3 picture = uTint > 0.5 ? t.rgb * vColor : t.rgb;
  gl_FragColor = vec4(mix(picture, DIM, 0.7 * vDim), 1.0);
#endif
}
`;

export function createPointMaterial(picking = false): THREE.ShaderMaterial {
  const atlases = Object.fromEntries(Array.from({ length: MAX_ATLAS_PAGES }, (_, k) => [`uAtlas${k}`, { value: null }]));
  return new THREE.ShaderMaterial({
    vertexShader: pointVertexShader,
    fragmentShader: pointFragmentShader,
    defines: picking ? { PICKING: 1 } : {},
    uniforms: {
      ...atlases,
      uHasSprite: { value: 0 },
      uTint: { value: 1 },
      uCellUv: { value: new THREE.Vector2(1, 1) },
      uPageColumns: { value: 1 },
      uCellsPerPage: { value: 1 },
      uWorldSize: { value: 0.05 },
      uScreenPx: { value: 8 },
      uUnits: { value: 0 },
      uViewportHeight: { value: 1 },
      uMaxPx: { value: 256 },
      uStyle: { value: 0 },
      uDotBelow: { value: 6 },
      uHovered: { value: -1 },
      uHasSelection: { value: 0 },
    },
    depthTest: true,
    depthWrite: true,
    transparent: false,
  });
}
