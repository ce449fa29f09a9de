import { describe, expect, it } from 'vitest';
import {
  Dropout, ELU, LeakyReLU, Linear, Module, PReLU, ReLU, Sigmoid, Tanh, createLayer, input, layerKind, layerKinds, registerLayer,
  square, type LayerConfig, type Tensor,
} from '../../src/index.js';
import { layerTypeOf } from '../../src/nn/registry.js';

const roundTrip = (layer: Module): Module => createLayer(layerKind(layer), JSON.parse(JSON.stringify(layerTypeOf(layer)!.config(layer))) as LayerConfig);

describe('layer registry', () => {
  it('knows every built-in layer', () => {
    expect(layerKinds().sort()).toEqual(['Dropout', 'ELU', 'Identity', 'LeakyReLU', 'Linear', 'LogSoftmax', 'PReLU', 'ReLU', 'Sigmoid', 'Softmax', 'Tanh']);
  });

  it('turns layers into kind + JSON config and back', () => {
    const lin = new Linear(3, 2, { bias: false, name: 'proj', dtype: 'float64', l1: 0.01 } as never);
    expect(layerTypeOf(lin)!.config(lin)).toEqual({ inFeatures: 3, outFeatures: 2, bias: false, dtype: 'float64', name: 'proj', l1: 0.01 });
    const back = roundTrip(lin) as Linear;
    expect([back.inFeatures, back.outFeatures, back.bias, back.weight.dtype, back.name]).toEqual([3, 2, null, 'float64', 'proj']);
    expect((back as unknown as { l1: number }).l1).toBe(0.01);
    expect((roundTrip(new LeakyReLU(0.2)) as LeakyReLU).alpha).toBe(0.2);
    expect((roundTrip(new ELU(0.5)) as ELU).alpha).toBe(0.5);
    expect((roundTrip(new Dropout(0.3)) as Dropout).rate).toBe(0.3);
    expect((roundTrip(new PReLU({ numParameters: 4 })) as PReLU).alpha.shape).toEqual([4]);
    for (const l of [new ReLU(), new Sigmoid(), new Tanh()]) expect(roundTrip(l).constructor).toBe(l.constructor);
  });

  it('rejects a bad config with the kind and the field', () => {
    expect(() => createLayer('Linear', { inFeatures: 0, outFeatures: 2 })).toThrow('Linear: config.inFeatures must be an integer ≥ 1, got 0');
    expect(() => createLayer('Linear', { inFeatures: 2, outFeatures: 2, bias: 'yes' })).toThrow('Linear: config.bias must be true or false, got "yes"');
    expect(() => createLayer('Dropout', { rate: 1 })).toThrow('Dropout: config.rate must be in [0, 1), got 1');
    expect(() => createLayer('LeakyReLU', { alpha: 'x' })).toThrow('LeakyReLU: config.alpha must be a finite number, got "x"');
    expect(() => createLayer('Conv2d', {})).toThrow(/^unknown layer kind 'Conv2d'; known kinds: Linear, PReLU/);
  });

  it('registerLayer lets a layer of your own join graphs', () => {
    class Square extends Module {
      forward(x: Tensor): Tensor {
        return square(x);
      }
    }
    registerLayer({ kind: 'Square', layerClass: Square, config: () => ({}), create: () => new Square(), outputFeatures: (_, d) => d });
    expect(new Square().apply(input({ name: 'x', features: 3 })).shape).toEqual(['N', 3]);
    expect(createLayer('Square', {})).toBeInstanceOf(Square);
    expect(layerKind(new Square())).toBe('Square');
  });
});
