/**
 * One draw call for every point. Each point is a screen-aligned square sized in world units
 * (so zoom enlarges pictures) that samples its own cell of the sprite atlas. The atlas grid is
 * columns x rows as measured from the image: never assumed square (TF's shader assumes it).
 */
import * as THREE from 'three';

export const MAX_POINT_PX = 256;

export const pointVertexShader = /* glsl */ `
precision highp float;
attribute vec3 color;
attribute float pointIndex;
uniform float uWorldSize;
uniform float uViewportHeight;
uniform float uHovered;
uniform float uMaxPx;
varying vec3 vColor;
varying float vIndex;
varying float vHovered;
void main() {
  // Points outside a sample are not placed: drawn nowhere.
  if (abs(position.x) > 1e5) {
    gl_Position = vec4(0.0, 0.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    vColor = color; vIndex = pointIndex; vHovered = 0.0;
    return;
  }
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mv;
  vHovered = abs(pointIndex - uHovered) < 0.5 ? 1.0 : 0.0;
  float px = uWorldSize * projectionMatrix[1][1] * uViewportHeight * 0.5 / max(-mv.z, 1e-6);
  gl_PointSize = min(px, uMaxPx) * (1.0 + 0.6 * vHovered);
  // The hovered point is drawn in front of its neighbours.
  gl_Position.z -= vHovered * 0.02 * gl_Position.w;
  vColor = color;
  vIndex = pointIndex;
}
`;

export const pointFragmentShader = /* glsl */ `
precision highp float;
uniform sampler2D uAtlas;
uniform float uHasSprite;
uniform vec2 uCellUv;
uniform float uColumns;
varying vec3 vColor;
varying float vIndex;
varying float vHovered;
const vec3 HIGHLIGHT = vec3(1.0, 0.35, 0.0);
void main() {
  vec2 pc = gl_PointCoord;
  float edge = max(abs(pc.x - 0.5), abs(pc.y - 0.5));
  if (uHasSprite > 0.5) {
    float i = floor(vIndex + 0.5);
    float row = floor(i / uColumns);
    float col = i - row * uColumns;
    vec4 t = texture2D(uAtlas, (vec2(col, row) + pc) * uCellUv);
    if (vHovered > 0.5 && edge > 0.42) { gl_FragColor = vec4(HIGHLIGHT, 1.0); return; }
    if (t.a < 0.05) discard;
    gl_FragColor = vec4(t.rgb * vColor, 1.0);
  } else {
    float r = length(pc - 0.5);
    if (r > 0.5) discard;
    vec3 c = vHovered > 0.5 && r > 0.36 ? HIGHLIGHT : vColor;
    gl_FragColor = vec4(c, 1.0);
  }
}
`;

export function createPointMaterial(): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    vertexShader: pointVertexShader,
    fragmentShader: pointFragmentShader,
    uniforms: {
      uAtlas: { value: null },
      uHasSprite: { value: 0 },
      uCellUv: { value: new THREE.Vector2(1, 1) },
      uColumns: { value: 1 },
      uWorldSize: { value: 0.05 },
      uViewportHeight: { value: 1 },
      uHovered: { value: -1 },
      uMaxPx: { value: MAX_POINT_PX },
    },
    depthTest: true,
    depthWrite: true,
    transparent: false,
  });
}

/** World size of a point for n points in a unit-radius cloud: dense clouds get smaller pictures. */
export const pointWorldSize = (n: number) => Math.min(0.06, Math.max(0.01, 1.8 / Math.sqrt(Math.max(n, 1))));
